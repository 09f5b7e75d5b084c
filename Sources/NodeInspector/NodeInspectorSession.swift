import DiagSupport
import Foundation
import TargetProcess

/// A CDP session with the main thread of a Node.js process, and the inspector's lifecycle
/// around it. `open` uses an inspector that is already listening (and leaves it open), or
/// opens one with SIGUSR1 and arms a dead-man's switch in the target; `close` disarms the
/// switch, closes an inspector diag opened (`process._debugEnd()`) and checks in /proc that
/// its port is gone. `withSession` runs `close` on every path, including errors and Ctrl-C.
public final class NodeInspectorSession {
    public let target: NodeTarget
    public let endpoint: InspectorEndpoint
    /// True when diag opened the inspector (and so must close it).
    public let openedByDiag: Bool
    /// Seconds from SIGUSR1 to a listening inspector (nil when it was open already).
    public let activationSeconds: Double?
    /// Seconds from the start of `open` to a connected session.
    public let connectSeconds: Double
    /// Notes for the user: other clients attached, a reused inspector.
    public private(set) var notes: [String] = []
    /// True when a dead-man's switch from an earlier diag run was still in the target.
    public private(set) var foundLeftoverSwitch = false

    let cdp: CDPSession
    var workersEnabled = false
    var heapProfilerEnabled = false
    private var switchArmed = false
    private var lastHeartbeat = 0.0
    private var closed = false

    /// Runs `body` with a session and always closes it afterwards. An error from `body` wins
    /// over one from closing (which is then reported on standard error).
    public static func withSession<Result>(pid: Int32, purpose: String, _ body: (NodeInspectorSession) throws -> Result) throws -> Result {
        do {
            let session = try open(pid: pid, purpose: purpose)
            let result: Result
            do {
                result = try body(session)
            } catch {
                do { try session.close() } catch let closeError {
                    Terminal.printError("diag: \(userFacing(closeError, pid: pid))")
                }
                throw error
            }
            try session.close()
            return result
        } catch {
            throw userFacing(error, pid: pid)
        }
    }

    /// Connects to the inspector of `pid`, opening it first if needed. `purpose` finishes the
    /// error for a target that is not Node.js ("heap snapshots need a V8 target").
    public static func open(pid: Int32, purpose: String, activationTimeout: Double = 5) throws -> NodeInspectorSession {
        let start = MonotonicClock.seconds()
        let target = try NodeTarget(pid: pid, purpose: purpose)
        if let endpoint = InspectorDiscovery.listeningInspector(pid: pid) {
            let session = try NodeInspectorSession(target: target, endpoint: endpoint, openedByDiag: false, activationSeconds: nil, start: start)
            session.notes.insert("the inspector was already open on port \(endpoint.port); diag leaves it open", at: 0)
            return session
        }
        let endpoint: InspectorEndpoint, activation: Double
        do {
            (endpoint, activation) = try InspectorActivation.open(target, timeout: activationTimeout)
            TestPause.at("inspector-open")
        } catch {
            // The port may still open late (a blocked main thread): close it if it did.
            if let late = InspectorDiscovery.listeningInspector(pid: pid, timeout: 0.5) {
                try? closeInspector(of: target, endpoint: late)
            }
            throw error
        }
        do {
            return try NodeInspectorSession(target: target, endpoint: endpoint, openedByDiag: true, activationSeconds: activation, start: start)
        } catch {
            try? closeInspector(of: target, endpoint: endpoint)
            throw error
        }
    }

    private init(target: NodeTarget, endpoint: InspectorEndpoint, openedByDiag: Bool, activationSeconds: Double?, start: Double) throws {
        self.target = target
        self.endpoint = endpoint
        self.openedByDiag = openedByDiag
        self.activationSeconds = activationSeconds
        let path = try InspectorDiscovery.debuggerPath(pid: target.pid, endpoint: endpoint)
        let connection = try WebSocketConnection.connect(port: endpoint.port, path: path, ipv6: endpoint.isIPv6,
                                                         namespaceOf: target.pid, timeout: 5)
        cdp = CDPSession(connection: connection)
        connectSeconds = MonotonicClock.seconds() - start
        cdp.onIdle = { [unowned self] in try self.heartbeatIfDue() }
        if openedByDiag {
            foundLeftoverSwitch = try evaluate(DeadMansSwitch.installExpression) as? String == "replaced"
            switchArmed = true
            if foundLeftoverSwitch { notes.append("a dead-man's switch left by an earlier diag run was still in the target; replaced") }
            lastHeartbeat = MonotonicClock.seconds()
        }
        let attached = InspectorClients.connected(to: target.pid, port: endpoint.port, excludingClientPort: connection.localPort)
        if !attached.isEmpty {
            let who = Set(attached.map { InspectorClients.describe($0.pid) }).sorted().joined(separator: ", ")
            notes.append("another inspector client is attached (\(who)); it sees what diag does, and diag's profiles may include its work")
        }
    }

    /// Evaluates `expression` in the main context and returns the result's value.
    @discardableResult
    public func evaluate(_ expression: String, timeout: Double = 30) throws -> Any? {
        let response = try cdp.call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "silent": true], timeout: timeout)
        if let exception = response.value("exceptionDetails", in: response.result) as? [String: Any] {
            let text = ((exception["exception"] as? [String: Any])?["description"] as? String) ?? (exception["text"] as? String) ?? "exception"
            throw DiagError(.failure, "evaluating in the target failed: \(text)")
        }
        return (response.value("result", in: response.result) as? [String: Any])?["value"]
    }

    private func heartbeatIfDue() throws {
        guard switchArmed, MonotonicClock.seconds() - lastHeartbeat >= DeadMansSwitch.heartbeatSeconds else { return }
        lastHeartbeat = MonotonicClock.seconds()
        try cdp.sendIgnoringResponse("Runtime.evaluate", ["expression": DeadMansSwitch.heartbeatExpression, "silent": true])
    }

    /// Disarms the dead-man's switch, closes the inspector if diag opened it, and verifies in
    /// /proc that its port is gone. Safe to call more than once.
    public func close() throws {
        guard !closed else { return }
        closed = true
        if workersEnabled && !cdp.isClosed { _ = try? cdp.call("NodeWorker.disable", [:], timeout: 10) }
        if heapProfilerEnabled && !cdp.isClosed { _ = try? cdp.call("HeapProfiler.disable", [:], timeout: 30) }
        guard openedByDiag else {
            cdp.close()
            return
        }
        switchArmed = false
        if !cdp.isClosed {
            do {
                try Self.endInspector(over: cdp)
            } catch {
                try Self.closeInspector(of: target, endpoint: endpoint)
                return
            }
        }
        try Self.verifyClosed(target, endpoint: endpoint)
    }
}

extension NodeInspectorSession {
    /// Waits `seconds` while answering the inspector (and sending heartbeats); Ctrl-C ends
    /// the wait early. `progress` gets the seconds left.
    public func waitHandlingEvents(seconds: Double, progress: (Double) -> Void = { _ in }) throws {
        let end = MonotonicClock.seconds() + seconds
        try cdp.pump(seconds: seconds) {
            progress(max(0, end - MonotonicClock.seconds()))
            return StopRequest.isRequested
        }
    }
}
