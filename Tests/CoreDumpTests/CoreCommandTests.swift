import CoreDump
import Foundation
import Testing
import TestSupport

/// The `diag core` command: JSON schema, the cross-check against eu-stack, and a process
/// killed by a signal another process sent.
@Suite struct CoreCommandTests {
    @Test func jsonHasEveryKeyWithHexAddressesAndExplicitNulls() throws {
        let core = try CrashCores.native("crash_null")
        let result = try Command.diag(["core", core.path, "--json"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "diag.core/1")
        #expect(Set(json.keys) == ["schema", "file", "process", "signal", "verdict", "crashing_tid", "registers", "threads",
                                   "thread_groups", "modules", "node", "warnings"])
        #expect(json["node"] is NSNull)
        let signal = try #require(json["signal"] as? [String: Any])
        #expect(signal["fault_address"] as? String == "0x0")
        #expect(signal["sender_pid"] is NSNull)
        #expect(signal["code_name"] as? String == "SEGV_MAPERR")
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["kind"] as? String == "null-pointer-dereference")
        #expect(verdict["abort_message"] is NSNull)
        let registers = try #require(json["registers"] as? [String: String])
        #expect(registers.count == 27)
        #expect(registers["rip"]?.hasPrefix("0x") == true)
        let threads = try #require(json["threads"] as? [[String: Any]])
        #expect(threads.count == 4)
        #expect(threads.first?["crashed"] as? Bool == true)
        let frame = try #require((threads.first?["frames"] as? [[String: Any]])?.first)
        #expect(Set(frame.keys) == ["index", "pc", "function", "file", "line", "module", "module_offset", "inline", "kind"])
        #expect(frame["function"] as? String == "store_record_count")
        #expect(frame["kind"] as? String == "native")
        #expect((frame["pc"] as? String)?.hasPrefix("0x") == true)
        let process = try #require(json["process"] as? [String: Any])
        #expect(process["threads"] as? Int == 4)
        #expect(process["argv_source"] as? String == "stack")
    }

    @Test func textSummaryLeadsWithTheVerdict() throws {
        let core = try CrashCores.native("crash_null")
        let result = try Command.diag(["core", core.path], timeout: 60)
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.dropFirst().first?.hasPrefix("verdict  null-pointer dereference in store_record_count (crash_null.c:") == true)
        #expect(result.standardOutput.contains("fault at  0x0"))
        #expect(result.standardOutput.contains("2 threads ("))
    }

    @Test(arguments: ["crash_null", "crash_assert", "crash_double_free"])
    func framesMatchEuStack(fixture: String) throws {
        guard Command.exists("eu-stack") else { return }
        let core = try CrashCores.native(fixture)
        try expectSameFunctionsAsEuStack(core.path)
    }

    @Test func nodeFramesMatchEuStack() throws {
        guard Command.exists("eu-stack"), Command.exists("node") else { return }
        try expectSameFunctionsAsEuStack(try CrashCores.node("uncaught-exception.js").path)
    }

    private func expectSameFunctionsAsEuStack(_ path: String) throws {
        let euStack = try SpawnedProcess.run("/usr/bin/eu-stack", ["--core", path], timeout: 120)
        let expected = EuStackOutput.stacks(euStack.output)
        let summary = try CoreAnalyzer.analyze(path: path)
        let actual = Dictionary(uniqueKeysWithValues: summary.threads.map { thread in
            (thread.tid, thread.frames.filter { !$0.isInline }.map { $0.function ?? "??" })
        })
        #expect(!expected.isEmpty)
        #expect(actual == expected)
    }

    @Test func aSignalFromAnotherProcessNamesTheSender() throws {
        let binary = try FixtureCompiler.compile("core_target")
        let directory = try FixturePaths.temporaryDirectory("diag-core-killed")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CrashCores.withCorePatternInWorkingDirectory {
            // An empty signal mask (test threads block signals, and children inherit that).
            let fixture = try SpawnedProcess("/bin/sh", ["-c", "ulimit -c unlimited; cd '\(directory)' && exec '\(binary)'"])
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, fixture.isRunning,
                  (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(fixture.pid)/task"))?.count != 3 { usleep(10_000) }
            usleep(100_000)
            kill(fixture.pid, SIGQUIT)
            #expect(fixture.wait() == 128 + SIGQUIT)
        }
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("core") })
        let summary = try CoreAnalyzer.analyze(path: "\(directory)/\(name)")
        #expect(summary.signal?.name == "SIGQUIT")
        #expect(summary.signal?.codeName == "SI_USER")
        #expect(summary.signal?.senderPID == getpid())
        #expect(summary.signal?.senderUID == getuid())
        #expect(summary.verdict.kind == .killedBySignal)
        #expect(summary.verdict.text.contains("sent by pid \(getpid())"))
        #expect(summary.threads.count == 3)
    }
}

/// Function names per thread from `eu-stack --core` (no inline frames).
enum EuStackOutput {
    static func stacks(_ text: String) -> [Int32: [String]] {
        var result: [Int32: [String]] = [:]
        var current: Int32?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("TID "), let tid = Int32(line.dropFirst(4).dropLast()) {
                current = tid
                result[tid] = []
            } else if line.hasPrefix("#"), let current {
                let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
                result[current, default: []].append(fields.count > 2 ? String(fields[2]) : "??")
            }
        }
        return result
    }
}
