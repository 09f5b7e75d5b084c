import DiagSupport
import Foundation
import Glibc
import NodeInspector

/// Closes an inspector diag opened if diag dies before it could close it itself (killed with
/// SIGKILL between SIGUSR1 and the agent's install, when nothing in the target can notice
/// yet). Before SIGUSR1, diag starts a small guard process (`diag inspector-guard PID`, in its
/// own session so a signal to diag's process group does not reach it) that waits on a pipe.
/// diag releases it once the TCP phase is over; if the pipe closes without that, diag is gone
/// and the guard closes the inspector and removes any agent nobody connected to.
public final class InspectorGuard {
    /// The command that starts a guard: diag's own executable and its hidden subcommand. Nil
    /// (tests that link the library) means no guard.
    nonisolated(unsafe) public static var command: [String]?

    /// The line that releases the guard.
    static let releaseLine = "released"

    private let process: Process
    private let pipe: Pipe

    private init(process: Process, pipe: Pipe) {
        self.process = process
        self.pipe = pipe
    }

    /// Starts a guard for `pid`, or returns nil when guards are not configured or it cannot start.
    static func start(pid: Int32) -> InspectorGuard? {
        guard let command = command, let executable = command.first else { return nil }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst()) + [String(pid)]
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        return InspectorGuard(process: process, pipe: pipe)
    }

    /// Tells the guard diag finished the TCP phase itself, and reaps it.
    func release() {
        try? pipe.fileHandleForWriting.write(contentsOf: Data((Self.releaseLine + "\n").utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The guard's side: waits for diag's release on standard input; when it ends without one,
    /// closes the inspector of `pid` (waiting up to `portTimeout` for a late one to open) and
    /// removes an agent nobody connected to.
    public static func watch(pid: Int32, portTimeout: Double = 5) {
        setsid()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            received += buffer[..<count]
        }
        if String(decoding: received, as: UTF8.self).contains(releaseLine) { return }
        guard let target = try? NodeTarget(pid: pid, purpose: "inspector guard"),
              let endpoint = InspectorDiscovery.listeningInspector(pid: pid, timeout: portTimeout) else { return }
        try? NodeInspectorSession.closeInspector(of: target, endpoint: endpoint, alsoEvaluating: ChannelAgent.disposeExpression)
    }
}
