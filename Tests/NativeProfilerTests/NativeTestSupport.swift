import Foundation
import NativeProfiler
import Profiles
import Testing
import TestSupport

/// All tests that sample real fixtures run one after another: the machine has two cores,
/// and two CPU-bound fixtures sampled at once would skew each other's numbers.
@Suite(.serialized) struct NativeIntegration {}

/// One `diag cpu` run with `--json`, and where it wrote its profile.
struct CPURun {
    let result: Command.Result
    let outputPath: String

    /// The JSON summary from standard output.
    func report() throws -> NativeCPUReport {
        do {
            return try JSONDecoder().decode(NativeCPUReport.self, from: Data(result.standardOutput.utf8))
        } catch {
            throw FixtureError("diag cpu gave no JSON summary (status \(result.status)): \(result.standardError)\n\(result.standardOutput)")
        }
    }

    /// The written `.cpuprofile`, checked with the profile model's own validation.
    func cpuProfile() throws -> CPUProfile {
        let data = try Data(contentsOf: URL(fileURLWithPath: outputPath))
        return try CPUProfile.decode(data)
    }

    /// Runs `diag cpu PID --json -o DIR/profile.EXT` with `arguments`.
    static func run(pid: Int32, _ arguments: [String], fileExtension: String = "cpuprofile", timeout: Double = 60) throws -> CPURun {
        let directory = try FixturePaths.temporaryDirectory("diag-native")
        let path = "\(directory)/profile.\(fileExtension)"
        let result = try Command.diag(["cpu", String(pid), "--json", "-o", path] + arguments, timeout: timeout)
        return CPURun(result: result, outputPath: path)
    }
}

/// Facts about the C fixtures' sources.
enum FixtureSource {
    /// The 1-based line of `Tests/Fixtures/native/NAME.c` that contains `marker`.
    static func line(containing marker: String, in name: String) throws -> Int {
        let text = try String(contentsOfFile: "\(FixturePaths.fixtures)/native/\(name).c", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let index = lines.firstIndex(where: { $0.contains(marker) }) else { throw FixtureError("no \(marker) in \(name).c") }
        return index + 1
    }
}

extension FixtureProcess {
    /// True when no thread of the fixture is traced and it still runs: what every diag run must leave behind.
    var isRunningUntraced: Bool {
        isRunning && !tracerPIDs.isEmpty && tracerPIDs.allSatisfy { $0 == 0 }
    }

    /// The time thread `tid` has spent on a CPU so far, in nanoseconds (from its schedstat).
    func cpuNanoseconds(tid: Int32) -> UInt64? {
        (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/schedstat", encoding: .utf8))?
            .split(separator: " ").first.flatMap { UInt64($0) }
    }

    /// The thread id whose name (comm) is `name`.
    func threadID(named name: String) -> Int32? {
        threadIDs.first { tid in
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) == name
        }
    }
}

extension NativeCPUReport {
    /// The summary row of the thread called `name`.
    func thread(named name: String) throws -> ThreadRow {
        guard let row = threads.first(where: { $0.name == name }) else {
            throw FixtureError("no thread \(name) in \(threads.map(\.name))")
        }
        return row
    }
}

extension NativeCPUReport.ThreadRow {
    /// The self share (0...1) of `function` within this thread.
    func selfShare(of function: String) -> Double {
        topFunctions.first { $0.function == function }?.selfShare ?? 0
    }
}

extension SamplingMethod {
    /// The `--sampler` value that asks for this method.
    var option: String { self == .perfEvent ? "perf" : "ptrace" }
}

/// Whether this machine permits perf_event sampling, found by a probe compiled from
/// `perf_event_probe.c` (not by diag): tests of the perf_event sampler skip themselves where
/// it is refused (a container's seccomp filter, an unprivileged user), and diag then samples
/// with ptrace.
enum PerfEventSupport {
    static let isAvailable: Bool = {
        guard let probe = try? FixtureCompiler.compile("perf_event_probe"),
              let result = try? Command.run(probe, []) else { return false }
        if result.status != 0 { print("perf_event sampling is refused here (\(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))): its tests are skipped") }
        return result.status == 0
    }()
}

extension SamplingMethod {
    /// False for perf_event where the machine refuses it (see `PerfEventSupport`).
    var isAvailable: Bool { self == .ptrace || PerfEventSupport.isAvailable }
}
