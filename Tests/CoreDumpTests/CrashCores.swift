import Foundation
import TestSupport

/// Real kernel cores of the crash fixtures, each produced once per test run: the fixture
/// runs under `sh` with RLIMIT_CORE unlimited in a private directory, and the kernel writes
/// the core there. /proc/sys/kernel/core_pattern is global: when it pipes to a handler or
/// names a fixed directory, it is set to `core` (the working directory) for the crash and
/// restored right after, which needs root.
enum CrashCores {
    struct Core: Sendable {
        let path: String
        let binary: String
        let directory: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Core] = [:]
    /// Removes the core directories when the test process exits (a Node core is ~50 MB).
    private static let cleanup: Void = {
        atexit {
            for core in CrashCores.cache.values { try? FileManager.default.removeItem(atPath: core.directory) }
        }
    }()

    /// The core of native fixture `name` (compiled by `FixtureCompiler`) run with
    /// `arguments` and a `stackKiB` stack limit (which keeps stack-overflow cores small).
    static func native(_ name: String, arguments: [String] = [], stackKiB: Int = 1024) throws -> Core {
        let key = ([name] + arguments).joined(separator: " ")
        return try lock.withLock {
            if let known = cache[key] { return known }
            _ = cleanup
            let binary = try FixtureCompiler.compile(name)
            let command = "ulimit -s \(stackKiB); exec '\(binary)'" + arguments.map { " '\($0)'" }.joined()
            let core = try produce(command: command, binary: binary, label: name)
            cache[key] = core
            return core
        }
    }

    /// The core of a Node fixture run with `flags` (by default --abort-on-uncaught-exception).
    static func node(_ script: String, flags: [String] = ["--abort-on-uncaught-exception"]) throws -> Core {
        try lock.withLock {
            if let known = cache[script] { return known }
            _ = cleanup
            let node = try Command.run("/usr/bin/env", ["sh", "-c", "command -v node"]).standardOutput
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !node.isEmpty else { throw FixtureError("node is not installed") }
            let core = try produce(command: "exec '\(node)' \(flags.joined(separator: " ")) '\(FixturePaths.fixtures)/node/\(script)'",
                                   binary: node, label: "node")
            cache[script] = core
            return core
        }
    }

    /// Runs `command` (a shell command that execs the program) in a fresh directory and
    /// returns the core it left there.
    static func produce(command: String, binary: String, label: String) throws -> Core {
        let directory = try FixturePaths.temporaryDirectory("diag-core-\(label)")
        try withCorePatternInWorkingDirectory {
            _ = try Command.run("/bin/sh", ["-c", "ulimit -c unlimited; cd '\(directory)' && \(command)"], timeout: 60)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard let name = names.first(where: { $0.hasPrefix("core") }) else {
            throw FixtureError("\(label) left no core in \(directory) (core_pattern: \(currentPattern() ?? "?"))")
        }
        return Core(path: "\(directory)/\(name)", binary: URL(fileURLWithPath: binary).standardizedFileURL.path,
                    directory: directory)
    }

    /// Runs `body` while core_pattern writes plain `core` files into the working directory.
    static func withCorePatternInWorkingDirectory(_ body: () throws -> Void) throws {
        guard let pattern = currentPattern() else { throw FixtureError("cannot read /proc/sys/kernel/core_pattern") }
        if !pattern.hasPrefix("|") && !pattern.contains("/") {
            try body()
            return
        }
        guard getuid() == 0 else { throw FixtureError("core_pattern '\(pattern)' needs root to redirect cores for the test") }
        try setPattern("core")
        defer { try? setPattern(pattern) }
        try body()
    }

    static func currentPattern() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
    }

    private static func setPattern(_ pattern: String) throws {
        try (pattern + "\n").write(toFile: "/proc/sys/kernel/core_pattern", atomically: false, encoding: .utf8)
    }

    /// The 1-based line of `Tests/Fixtures/native/NAME.c` that contains `marker`.
    static func line(of marker: String, inFixture name: String) throws -> Int {
        let text = try String(contentsOfFile: "\(FixturePaths.fixtures)/native/\(name).c", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(marker) }) else { throw FixtureError("no \(marker) in \(name).c") }
        return index + 1
    }
}
