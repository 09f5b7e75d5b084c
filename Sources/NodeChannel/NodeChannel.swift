import DiagSupport
import Foundation
import NodeInspector

/// A private channel to the main thread of a Node.js process: an in-process inspector session
/// served by a small agent diag installs in the target, reached over a Unix socket in a 0700
/// directory that only the target's user and root can use. The TCP inspector is open only for
/// the moment it takes to install the agent, then closed again (unless the target had it open
/// already, with --inspect). Every Node.js feature of diag talks to its target through this.
///
/// Used from one thread at a time: handlers run inside `call`, `evaluate`, `install` and `pump`.
public final class NodeChannel {
    public let pid: Int32
    /// The target as verified before anything was sent to it.
    public let target: NodeTarget
    /// True when diag opened the inspector (it was not already open with --inspect).
    public let openedByDiag: Bool
    /// The TCP port the inspector listened on.
    public let port: UInt16
    /// Seconds from SIGUSR1 to a listening inspector (nil when it was open already).
    public let activationSeconds: Double?
    /// Seconds from the start of opening to a connected channel.
    public let connectSeconds: Double
    /// Seconds the TCP inspector was open because of diag: from SIGUSR1 until /proc showed its
    /// port gone (nil when it was open already and stays open).
    public let inspectorOpenSeconds: Double?
    /// Lines for the command's summary ("the inspector was already open on port 9229; diag leaves it open", ...).
    public private(set) var notes: [String]

    let cdp: CDPSession
    private let socket: AgentSocket
    /// The agent's private directory, as the target sees it.
    let directory: String
    private var eventHandlers: [String: (Any?) -> Void] = [:]
    private var cdpEventHandlers: [String: ([String: Any]) -> Void] = [:]
    private var closed = false

    init(opened: ChannelOpening.Result) {
        pid = opened.target.pid
        target = opened.target
        openedByDiag = opened.openedByDiag
        port = opened.port
        activationSeconds = opened.activationSeconds
        connectSeconds = opened.connectSeconds
        inspectorOpenSeconds = opened.inspectorOpenSeconds
        notes = opened.notes
        socket = opened.socket
        directory = opened.directory
        cdp = CDPSession(connection: opened.socket)
        cdp.onEvent = { [unowned self] message in self.dispatch(message) }
    }

    /// Opens a channel to `pid`, runs `body`, and closes the channel on every path (errors,
    /// Ctrl-C/SIGTERM): everything installed in the target is removed. A PID that is not
    /// Node.js: exit status 4 ("PID is not a Node.js process; " + purpose). An error from
    /// `body` wins over one from closing.
    public static func withChannel<Result>(pid: Int32, purpose: String, _ body: (NodeChannel) throws -> Result) throws -> Result {
        let channel = try ChannelOpening.open(pid: pid, purpose: purpose)
        defer { channel.close() }
        do {
            return try body(channel)
        } catch let error as ChannelBroken {
            throw channel.explain(error)
        }
    }

    /// A CDP command on the in-process session; returns the response's `result` object.
    /// A CDP error becomes a DiagError.
    @discardableResult
    public func call(_ method: String, _ params: [String: Any] = [:], timeout: Double = 30) throws -> [String: Any] {
        let response = try guarded { try cdp.call(method, params, timeout: timeout) }
        return response.object(response.result)
    }

    /// Runtime.evaluate in the main context with returnByValue; an exception becomes a
    /// DiagError. `awaitPromise: true` waits for a returned promise.
    @discardableResult
    public func evaluate(_ expression: String, awaitPromise: Bool = false, timeout: Double = 30) throws -> Any? {
        let result = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "silent": true,
                                                  "awaitPromise": awaitPromise], timeout: timeout)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let text = ((exception["exception"] as? [String: Any])?["description"] as? String) ?? (exception["text"] as? String) ?? "exception"
            throw DiagError(.failure, "evaluating in \(pid) failed: \(text)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Installs a feature in the target. `source` is a JavaScript function expression
    /// `(agent) => result`, called once in the target's main context; its JSON-serializable
    /// return value is returned (a returned promise is awaited). `agent` offers
    /// `onDispose(fn)` (runs when the channel closes for any reason, diag killed with SIGKILL
    /// included), `send(name, value)` (an event for `onEvent(name)`) and `require(id)` (builtins
    /// and modules resolvable from the main module). Installing a name again disposes of the
    /// earlier install first; a throwing `source` is disposed of and becomes a DiagError.
    @discardableResult
    public func install(_ name: String, source: String, timeout: Double = 30) throws -> Any? {
        let response = try guarded { try cdp.call("diag.install", ["name": name, "source": source], timeout: timeout) }
        return response.object(response.result)["value"].flatMap { $0 is NSNull ? nil : $0 }
    }

    /// Handler for events sent with agent.send(name, value); `value` decoded from JSON.
    public func onEvent(_ name: String, _ handler: @escaping (Any?) -> Void) {
        eventHandlers[name] = handler
    }

    /// Handler for a CDP event of the in-process session ("Debugger.scriptParsed", ...).
    public func onCDPEvent(_ method: String, _ handler: @escaping ([String: Any]) -> Void) {
        cdpEventHandlers[method] = handler
    }

    /// Removes the handler for a CDP event.
    public func removeCDPEventHandler(_ method: String) {
        cdpEventHandlers[method] = nil
    }

    /// Waits up to `seconds`, dispatching events to the handlers; returns early when `until()`
    /// returns true (called at least every 10 ms) or when Ctrl-C/SIGTERM was requested.
    /// Throws when the target exits (exit status 2, "process PID exited while diag was connected to it") or the channel breaks.
    public func pump(seconds: Double, until: () -> Bool = { false }) throws {
        let deadline = MonotonicClock.seconds() + seconds
        try guarded {
            while MonotonicClock.seconds() < deadline, !until(), !StopRequest.isRequested {
                try cdp.pump(seconds: min(0.01, max(0, deadline - MonotonicClock.seconds())))
            }
        }
    }

    /// Closes the channel: the agent sees the socket close and removes everything it and the
    /// installs added. Safe to call more than once.
    public func close() {
        guard !closed else { return }
        closed = true
        socket.close()
        ChannelOpening.waitForAgentRemoval(directory: directory, target: target)
    }

    private func dispatch(_ message: CDPMessage) {
        guard let method = message.method else { return }
        if method == "diag.event" {
            let params = message.object(message.params)
            guard let name = params["name"] as? String, let handler = eventHandlers[name] else { return }
            let value = params["value"]
            handler(value is NSNull ? nil : value)
        } else if let handler = cdpEventHandlers[method] {
            handler(message.object(message.params))
        }
    }

    /// Runs `work`, turning a broken socket into a DiagError that says why.
    func guarded<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as ChannelBroken {
            throw explain(error)
        }
    }

    func explain(_ error: ChannelBroken) -> DiagError {
        if NodeInspectorSession.targetExits(pid) { return DiagError(.notFound, "process \(pid) exited while diag was connected to it") }
        return DiagError(.failure, "the channel to \(pid) closed unexpectedly (its agent was removed or the target closed the socket)")
    }
}
