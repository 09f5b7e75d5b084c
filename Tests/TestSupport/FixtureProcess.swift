import Foundation

/// A running fixture: a real process that a test launched and owns. It is killed (SIGKILL)
/// and reaped when `stop()` is called or when the object is released, whatever the test's
/// outcome. As a last resort every fixture limits its own lifetime (`alarm()` in the C
/// fixtures, a timer in the Node ones), so none outlives a crashed test run.
public final class FixtureProcess: @unchecked Sendable {
    public let pid: Int32
    /// The lines the fixture printed up to and including its ready line.
    public private(set) var startupOutput: [String] = []
    private let outputDescriptor: Int32
    private var reaped = false
    private var exitStatus: Int32?

    /// Starts `executable` and waits until it prints a line containing `readyMarker`
    /// (default `ready`) on standard output.
    public init(executable: String, arguments: [String] = [], environment: [String: String] = [:],
                readyMarker: String = "ready", timeout: Double = 30) throws {
        var pipeDescriptors: [Int32] = [0, 0]
        guard pipe(&pipeDescriptors) == 0 else { throw FixtureError("pipe failed") }
        let child: pid_t
        do {
            child = try Spawn.start(executable, arguments, environment: environment,
                                    standardOutput: .descriptor(pipeDescriptors[1]), standardError: .null,
                                    closing: [pipeDescriptors[0]], newProcessGroup: true)
        } catch {
            close(pipeDescriptors[0])
            close(pipeDescriptors[1])
            throw error
        }
        close(pipeDescriptors[1])
        pid = child
        outputDescriptor = pipeDescriptors[0]
        FixtureRegistry.shared.add(child)
        do {
            try waitForReadyLine(readyMarker, timeout: timeout)
        } catch {
            stop()
            throw error
        }
    }

    /// Starts `node` with a script from `Tests/Fixtures/node` (or an absolute path).
    public static func node(_ script: String, arguments: [String] = [], nodeFlags: [String] = [],
                            environment: [String: String] = [:], readyMarker: String = "ready",
                            timeout: Double = 30) throws -> FixtureProcess {
        let path = script.hasPrefix("/") ? script : "\(FixturePaths.fixtures)/node/\(script)"
        let node = try Command.run("/usr/bin/env", ["sh", "-c", "command -v node"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !node.isEmpty else { throw FixtureError("node is not installed") }
        return try FixtureProcess(executable: node, arguments: nodeFlags + [path] + arguments,
                                  environment: environment, readyMarker: readyMarker, timeout: timeout)
    }

    /// Starts a C fixture compiled by `FixtureCompiler`.
    public static func native(_ name: String, arguments: [String] = [], extraFlags: [String] = [],
                              readyMarker: String = "ready", timeout: Double = 30) throws -> FixtureProcess {
        let binary = try FixtureCompiler.compile(name, extraFlags: extraFlags)
        return try FixtureProcess(executable: binary, arguments: arguments, readyMarker: readyMarker, timeout: timeout)
    }

    deinit {
        stop()
    }

    /// True while the process runs (it is not reaped and not a zombie).
    public var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            reaped = true
            exitStatus = status
            FixtureRegistry.shared.remove(pid)
            return false
        }
        return true
    }

    /// Kills and reaps the process. Safe to call more than once.
    public func stop() {
        guard !reaped else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        exitStatus = status
        close(outputDescriptor)
        FixtureRegistry.shared.remove(pid)
    }

    /// Waits up to `timeout` seconds for the process to exit by itself; returns its wait status.
    public func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning { return exitStatus }
            usleep(10_000)
        }
        return nil
    }

    /// The thread ids of the process.
    public var threadIDs: [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap { Int32($0) }.sorted()
    }

    /// The TracerPid of every thread: all zero when no debugger or profiler holds any.
    public var tracerPIDs: [Int32] {
        threadIDs.compactMap { tid in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8) else { return nil }
            let line = text.split(separator: "\n").first { $0.hasPrefix("TracerPid:") }
            return line.flatMap { Int32($0.dropFirst(10).trimmingCharacters(in: .whitespaces)) }
        }
    }

    private func waitForReadyLine(_ marker: String, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var pending = Data()
        var byte: UInt8 = 0
        while Date() < deadline {
            var entry = pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, 100)
            if ready <= 0 { continue }
            let count = read(outputDescriptor, &byte, 1)
            if count <= 0 { throw FixtureError("fixture \(pid) exited before it was ready; output: \(startupOutput)") }
            if byte == 10 {
                let line = String(decoding: pending, as: UTF8.self)
                startupOutput.append(line)
                pending.removeAll()
                if line.contains(marker) { return }
            } else {
                pending.append(byte)
            }
        }
        throw FixtureError("fixture \(pid) did not print '\(marker)' within \(timeout)s; output: \(startupOutput)")
    }
}

/// The fixtures still running, killed when the test process exits normally.
final class FixtureRegistry: @unchecked Sendable {
    static let shared = FixtureRegistry()
    private var pids = Set<Int32>()
    private let lock = NSLock()

    private init() {
        atexit {
            for pid in FixtureRegistry.shared.snapshot() { kill(pid, SIGKILL) }
        }
    }

    func add(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }
    func snapshot() -> Set<Int32> { lock.withLock { pids } }
}
