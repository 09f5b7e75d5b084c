import DiagSupport
import Foundation
import Glibc
import NodeInspector

/// The short TCP phase of a channel: the inspector is opened (SIGUSR1) or found open, one
/// Runtime.evaluate installs the agent, diag connects to the agent's Unix socket and proves
/// itself with the token, and the TCP inspector is closed again if diag opened it. While the
/// port is open, InspectorWindowWatch looks for connections from anybody else; one makes diag
/// close the inspector, remove the agent and fail with exit status 6.
enum ChannelOpening {
    /// What the TCP phase leaves for the channel.
    struct Result {
        let target: NodeTarget
        let openedByDiag: Bool
        let port: UInt16
        let activationSeconds: Double?
        let connectSeconds: Double
        let inspectorOpenSeconds: Double?
        let notes: [String]
        let socket: AgentSocket
        let directory: String
    }

    /// How long diag waits for the agent's socket to accept and answer.
    static let agentTimeout = 10.0

    static func open(pid: Int32, purpose: String) throws -> NodeChannel {
        let start = MonotonicClock.seconds()
        let target = try NodeTarget(pid: pid, purpose: purpose)
        let alreadyOpen = InspectorDiscovery.listeningInspector(pid: pid, timeout: 0.2) != nil
        let expectedPort = InspectorPortSetting.expectedPort(for: pid)
        let watch = alreadyOpen ? nil : InspectorWindowWatch(pid: pid, port: expectedPort == 0 ? nil : expectedPort)
        let inspectorGuard = alreadyOpen ? nil : InspectorGuard.start(pid: pid)
        defer {
            watch?.stop()
            inspectorGuard?.release()
        }
        let session: NodeInspectorSession
        do {
            session = try NodeInspectorSession.open(pid: pid, purpose: purpose)
        } catch {
            if let intruder = watch?.intruder { throw DiagError(.inspectorIntrusion, intruder.message(targetPID: pid)) }
            throw error
        }
        watch?.watch(port: session.endpoint.port)
        var notes = session.notes
        var installed = false
        do {
            try checkNoIntruder(watch, pid: pid)
            let token = randomToken()
            let installation = try session.evaluate(ChannelAgent.installExpression(token: token, closeInspectorOnDispose: session.openedByDiag))
            installed = true
            TestPause.at("agent-installed")
            guard let info = installation as? [String: Any], let directory = info["dir"] as? String else {
                throw DiagError(.failure, "diag's agent did not start in \(pid)")
            }
            if info["replaced"] as? Bool == true { notes.append("an agent left by an earlier diag run was still in the target; replaced") }
            try checkNoIntruder(watch, pid: pid)
            let socket = try AgentSocket(pid: pid, uid: target.process.status.effectiveUID, directory: directory, timeout: agentTimeout)
            do {
                try socket.send(text: Array(token.utf8))
                guard let ready = try socket.receiveJSON(timeout: agentTimeout), ready["ready"] as? Bool == true else {
                    throw DiagError(.failure, "diag's agent in \(pid) did not answer on its socket within \(formatDecimal(agentTimeout))s")
                }
                TestPause.at("agent-connected")
                try checkNoIntruder(watch, pid: pid)
                // The TCP inspector is no longer needed: an inspector diag opened is closed
                // (the in-process session lives on); one that was open stays open.
                try session.close()
                let inspectorOpenSeconds = session.openedByDiag ? MonotonicClock.seconds() - start : nil
                watch?.stop()
                try checkNoIntruder(watch, pid: pid)
                let result = Result(target: target, openedByDiag: session.openedByDiag, port: session.endpoint.port,
                                    activationSeconds: session.activationSeconds, connectSeconds: MonotonicClock.seconds() - start,
                                    inspectorOpenSeconds: inspectorOpenSeconds, notes: notes, socket: socket, directory: directory)
                return NodeChannel(opened: result)
            } catch {
                socket.close()
                throw error
            }
        } catch {
            // Whatever failed, nothing of diag's stays in the target: the agent (if it was
            // installed and nobody connected) and the inspector diag opened.
            if installed { _ = try? session.evaluate(ChannelAgent.disposeExpression, timeout: 5) }
            try? session.close()
            if let intruder = watch?.intruder { throw DiagError(.inspectorIntrusion, intruder.message(targetPID: pid)) }
            throw error
        }
    }

    private static func checkNoIntruder(_ watch: InspectorWindowWatch?, pid: Int32) throws {
        if let intruder = watch?.intruder { throw DiagError(.inspectorIntrusion, intruder.message(targetPID: pid)) }
    }

    /// 32 random bytes as hex: the line that proves to the agent that diag is connecting.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// After the socket closed, waits (briefly: the target's event loop may be busy) until the
    /// agent removed its directory, so that diag exits with the target clean.
    static func waitForAgentRemoval(directory: String, target: NodeTarget, timeout: Double = 2) {
        let path = "/proc/\(target.pid)/root\(directory)"
        let deadline = MonotonicClock.seconds() + timeout
        while MonotonicClock.seconds() < deadline, target.process.isAlive, access(path, F_OK) == 0 {
            usleep(2000)
        }
    }
}
