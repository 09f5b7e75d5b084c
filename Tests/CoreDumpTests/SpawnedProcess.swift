import Foundation
import TestSupport

/// A child process started as a shell would start it (see `Spawn`), with standard output
/// and error together in `outputPath`, or discarded.
final class SpawnedProcess {
    let pid: pid_t
    private var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], outputPath: String = "/dev/null") throws {
        pid = try Spawn.start(executable, arguments, standardOutput: .file(outputPath), standardError: .descriptor(1))
    }

    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Waits for the exit and returns the exit code (128 + signal when killed).
    func wait() -> Int32 {
        if exitStatus == nil {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = status
        }
        let status = exitStatus!
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Runs to completion (killed after `timeout` seconds) and returns the exit code and
    /// the standard output and error, interleaved.
    static func run(_ executable: String, _ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String) {
        let directory = try FixturePaths.temporaryDirectory("diag-spawn")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = try SpawnedProcess(executable, arguments, outputPath: "\(directory)/output")
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.pid, SIGKILL) }
        let status = process.wait()
        let output = (try? String(contentsOfFile: "\(directory)/output", encoding: .utf8)) ?? ""
        return (status, output)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = wait()
        }
    }
}
