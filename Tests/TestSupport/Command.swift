import Foundation

/// Runs a program to completion and captures its output.
public enum Command {
    public struct Result: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `executable` with `arguments` (started like a shell would, see `Spawn`); standard
    /// input is empty. Kills it after `timeout` seconds.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           timeout: Double = 300) throws -> Result {
        var outputPipe: [Int32] = [0, 0]
        var errorPipe: [Int32] = [0, 0]
        guard pipe(&outputPipe) == 0, pipe(&errorPipe) == 0 else { throw FixtureError("pipe failed") }
        let child: pid_t
        do {
            child = try Spawn.start(executable, arguments, environment: environment,
                                    standardOutput: .descriptor(outputPipe[1]), standardError: .descriptor(errorPipe[1]),
                                    closing: [outputPipe[0], errorPipe[0]])
        } catch {
            [outputPipe[0], outputPipe[1], errorPipe[0], errorPipe[1]].forEach { close($0) }
            throw error
        }
        close(outputPipe[1])
        close(errorPipe[1])
        defer {
            close(outputPipe[0])
            close(errorPipe[0])
        }
        var collected: [Int32: Data] = [outputPipe[0]: Data(), errorPipe[0]: Data()]
        var open = [outputPipe[0], errorPipe[0]]
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty && Date() < deadline {
            var entries = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&entries, nfds_t(entries.count), 100) > 0 else { continue }
            for entry in entries where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd]!.append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        if !open.isEmpty { kill(child, SIGKILL) }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        let exitCode = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode,
                      standardOutput: String(decoding: collected[outputPipe[0]]!, as: UTF8.self),
                      standardError: String(decoding: collected[errorPipe[0]]!, as: UTF8.self))
    }

    /// Runs the built `diag` with `arguments`.
    public static func diag(_ arguments: [String], timeout: Double = 300) throws -> Result {
        try run(FixturePaths.diagExecutable, arguments, timeout: timeout)
    }

    /// True when `name` is on PATH.
    public static func exists(_ name: String) -> Bool {
        (try? run("/usr/bin/env", ["sh", "-c", "command -v \(name)"]))?.status == 0
    }
}
