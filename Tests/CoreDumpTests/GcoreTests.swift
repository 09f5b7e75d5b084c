import CoreDump
import Foundation
import Testing
import TestSupport

/// `diag gcore` on a live fixture: the core opens in `diag core` and gdb, and the process
/// runs on untraced.
@Suite struct GcoreTests {
    @Test func writesASnapshotCoreAndLeavesTheProcessRunning() throws {
        let fixture = try FixtureProcess.native("core_target")
        let directory = try FixturePaths.temporaryDirectory("diag-gcore")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/live.core"
        let result = try Command.diag(["gcore", String(fixture.pid), "-o", path], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("3 threads"))

        #expect(fixture.isRunning)
        #expect(fixture.tracerPIDs.count == 3)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Untouched thread stacks are zeros: the file is sparse.
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(Int(status.st_blocks) * 512 < Int(status.st_size) / 2)

        let summary = try CoreAnalyzer.analyze(path: path)
        #expect(summary.verdict.kind == .snapshot)
        #expect(summary.file.producer == .diag)
        #expect(summary.signal == nil)
        #expect(summary.process.pid == fixture.pid)
        #expect(Set(summary.threads.map(\.tid)) == Set(fixture.threadIDs))
        #expect(summary.threads.first?.tid == fixture.pid)
        #expect(summary.threads.first?.frames.contains { $0.function == "main_waits_for_signal" } == true)
        #expect(summary.threads.dropFirst().allSatisfy { $0.frames.contains { $0.function == "worker_waits_for_work" } })
        #expect(summary.threadGroups.map(\.count) == [2])
        #expect(summary.process.argumentsSource == "stack")
        #expect(summary.warnings.isEmpty)

        // Every thread has its notes; the heap string the fixture printed is in the memory.
        let file = try MappedFile(path: path)
        let layout = try CoreLayout(parsing: file.view, path: path)
        let notes = CoreNotes(file: file.view, layout: layout)
        #expect(notes.threads.count == 3)
        #expect(notes.floatingPointThreads.count == 3)
        let binary = try FixtureCompiler.compile("core_target")
        #expect(notes.processInfo?.name == String(binary.split(separator: "/").last!.prefix(15)))
        #expect(notes.processInfo?.arguments == binary)
        #expect(!notes.auxiliaryVector.isEmpty)
        #expect(notes.fileMappings.contains { $0.path.contains("core_target") })
        #expect(layout.isTruncated == false)
        let marker = Array("diag-gcore-marker-5f3a".utf8)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.range(of: Data(marker)) != nil)
    }

    @Test func gdbShowsTheStacksTheLiveProcessHad() throws {
        guard Command.exists("gdb") else { return }
        let fixture = try FixtureProcess.native("core_target")
        let binary = try FixtureCompiler.compile("core_target")
        let live = try SpawnedProcess.run("/usr/bin/gdb", ["-batch", "-nx", "-ex", "thread apply all bt", "-p", String(fixture.pid)])
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-gdb")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/live.core"
        let written = try Command.diag(["gcore", String(fixture.pid), "-o", path, "--quiet"], timeout: 60)
        #expect(written.status == 0, "\(written.standardError)")
        let fromCore = try SpawnedProcess.run("/usr/bin/gdb", ["-batch", "-nx", "-ex", "thread apply all bt", binary, path])
        let liveStacks = GDBOutput.stacks(live.output)
        let coreStacks = GDBOutput.stacks(fromCore.output)
        #expect(liveStacks.count == 3, "\(live.output)")
        #expect(coreStacks == liveStacks)
        #expect(coreStacks[fixture.pid]?.contains("main_waits_for_signal") == true)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
    }

    @Test func aCoreWrittenByGdbIsASnapshotToo() throws {
        guard Command.exists("gcore") else { return }
        let fixture = try FixtureProcess.native("core_target")
        let directory = try FixturePaths.temporaryDirectory("diag-gdb-gcore")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try SpawnedProcess.run("/usr/bin/gcore", ["-o", "\(directory)/gdb", String(fixture.pid)])
        #expect(written.status == 0, "\(written.output)")
        let summary = try CoreAnalyzer.analyze(path: "\(directory)/gdb.\(fixture.pid)")
        #expect(summary.file.producer == .gdb)
        #expect(summary.verdict.kind == .snapshot)
        #expect(summary.threads.count == 3)
        #expect(summary.threads.first?.frames.contains { $0.function == "main_waits_for_signal" } == true)
    }

    @Test func aFullDiskFailsCleanlyAndReleasesTheProcess() throws {
        guard getuid() == 0 else { return }
        let fixture = try FixtureProcess.native("core_target", arguments: ["32"])
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-full")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A 4 MiB file system: the core of a process with 32 MiB of heap cannot fit.
        guard try Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", directory]).status == 0 else { return }
        defer { _ = try? Command.run("/bin/umount", [directory]) }
        let result = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/full.core"], timeout: 60)
        #expect(result.status == 1)
        #expect(result.standardError.contains("No space left on device"))
        #expect(fixture.isRunning)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func jsonSummary() throws {
        let fixture = try FixtureProcess.native("core_target")
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-json")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/snapshot.core", "--json"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["pid"] as? Int == Int(fixture.pid))
        #expect(json["threads"] as? Int == 3)
        #expect(json["path"] as? String == "\(directory)/snapshot.core")
        let bytes = try #require(json["bytes"] as? Int)
        #expect(bytes == (try FileManager.default.attributesOfItem(atPath: "\(directory)/snapshot.core")[.size] as? Int))
        #expect(json["unreadable_bytes"] as? Int == 0)
    }

    @Test func aMissingProcessIsAClearError() throws {
        let result = try Command.diag(["gcore", "999999999", "-o", "/tmp/never-written.core"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no such process 999999999"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written.core"))
    }
}

/// Function names per thread from gdb's `thread apply all bt`.
enum GDBOutput {
    static func stacks(_ text: String) -> [Int32: [String]] {
        var result: [Int32: [String]] = [:]
        var current: Int32?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Thread "), let lwp = line.range(of: "(LWP ") {
                current = Int32(line[lwp.upperBound...].prefix { $0.isNumber })
                if let current { result[current] = [] }
            } else if line.hasPrefix("#"), let current {
                var rest = line.drop { $0 != " " }.drop { $0 == " " }
                if rest.hasPrefix("0x"), let range = rest.range(of: " in ") { rest = rest[range.upperBound...] }
                result[current, default: []].append(String(rest.prefix { $0 != " " }))
            }
        }
        return result
    }
}
