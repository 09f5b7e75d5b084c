import DiagSupport
import Glibc
import TargetProcess

/// Closing an inspector diag opened: the dead-man's switch is removed and `process._debugEnd()`
/// evaluated in one expression, then /proc must show the port gone.
extension NodeInspectorSession {
    /// Removes the switch and ends the inspector over `cdp`, then closes the connection.
    /// `_debugEnd()` drops the session before it can answer: a closed connection is success.
    static func endInspector(over cdp: CDPSession, alsoEvaluating prelude: String? = nil) throws {
        defer { cdp.close() }
        do {
            let expression = (prelude.map { "try { \($0) } catch {}; " } ?? "") + "\(DeadMansSwitch.removeExpression); process._debugEnd()"
            let id = try cdp.send("Runtime.evaluate", ["expression": expression, "silent": true])
            _ = try cdp.response(to: id, method: "closing the inspector", timeout: 120)
        } catch WebSocketError.closed {}
    }

    /// Closes an inspector diag opened, through a fresh connection; `prelude` is evaluated first.
    package static func closeInspector(of target: NodeTarget, endpoint: InspectorEndpoint, alsoEvaluating prelude: String? = nil) throws {
        let path = try InspectorDiscovery.debuggerPath(pid: target.pid, endpoint: endpoint)
        let connection = try WebSocketConnection.connect(port: endpoint.port, path: path, ipv6: endpoint.isIPv6,
                                                         namespaceOf: target.pid, timeout: 5)
        try endInspector(over: CDPSession(connection: connection), alsoEvaluating: prelude)
        try verifyClosed(target, endpoint: endpoint)
    }

    /// Waits until the target no longer holds the inspector's listening socket. The socket is
    /// looked up by inode among the target's file descriptors, which a reader of /proc sees
    /// reliably; the kernel's socket table (/proc/net/tcp) is printed in pieces and can skip an
    /// entry while other sockets come and go, which once made a listening inspector look closed.
    static func verifyClosed(_ target: NodeTarget, endpoint: InspectorEndpoint, timeout: Double = 5) throws {
        let deadline = MonotonicClock.seconds() + timeout
        while MonotonicClock.seconds() < deadline {
            guard target.process.isAlive else { return }
            if !ListeningSockets.socketInodes(of: target.pid).contains(endpoint.socketInode) { return }
            usleep(2000)
        }
        throw DiagError(.failure, "the inspector of \(target.pid) is still listening on port \(endpoint.port) after diag closed it",
                        hint: "diag's dead-man's switch closes it within \(DeadMansSwitch.timeoutMilliseconds / 1000)s once the event loop runs; check with 'diag doctor \(target.pid)'")
    }
}

extension NodeInspectorSession {
    /// Other clients connected to this inspector now (diag's own connection excluded), each as
    /// `pid 4242 (python3)` or `an unknown process`. The kernel's tables can lag by a moment.
    public func otherClients() -> [String] {
        InspectorClients.connected(to: target.pid, port: endpoint.port, excludingClientPort: cdp.localPort).map { InspectorClients.describe($0.pid) }
    }
}
