import Foundation
import Testing
import TestSupport

/// `diag gcore` writes a complete core or nothing: a target that dies during the copy, a
/// Ctrl-C, a SIGTERM or a SIGKILL of diag leave no file and no temporary in the directory.
@Suite(.serialized) struct GcoreIntegrityTests {
    @Test func aTargetKilledDuringTheCopyFailsAndLeavesNoFile() throws {
        // 1 GiB of touched heap: the copy takes well over a second on this machine.
        let fixture = try FixtureProcess.native("core_target", arguments: ["1024"])
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-dies")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = "\(directory)/diag.out"
        let diag = try SpawnedProcess(FixturePaths.diagExecutable,
                                      ["gcore", String(fixture.pid), "-o", "\(directory)/never.core"], outputPath: output)
        #expect(waitUntilTraced(fixture, while: diag))
        usleep(200_000)
        kill(fixture.pid, SIGKILL)
        let status = diag.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(status == 1, "\(text)")
        #expect(text.contains("process \(fixture.pid) ended during the copy after "), "\(text)")
        #expect(text.contains("no core was written"))
        // It says how far it got: "after C of T bytes (S of N segments)" with 0 < C < T.
        let after = try #require(text.range(of: "during the copy after "))
        let figures = text[after.upperBound...].split { !$0.isNumber }.compactMap { UInt64($0) }
        #expect(figures.count >= 4 && figures[0] > 0 && figures[0] < figures[1], "\(text)")
        try FileManager.default.removeItem(atPath: output)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aStopSignalDuringTheCopyExitsWithItsStatusAndWritesNothing(signal: Int32, expected: Int32) throws {
        let fixture = try FixtureProcess.native("core_target", arguments: ["768"])
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-stop")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let diag = try SpawnedProcess(FixturePaths.diagExecutable, ["gcore", String(fixture.pid), "-o", "\(directory)/never.core"])
        #expect(waitUntilTraced(fixture, while: diag))
        kill(diag.pid, signal)
        #expect(diag.wait() == expected)
        #expect(fixture.isRunning)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func sigkillOfDiagDuringTheCopyLeavesNothingInTheDirectory() throws {
        let fixture = try FixtureProcess.native("core_target", arguments: ["768"])
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-kill9")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let diag = try SpawnedProcess(FixturePaths.diagExecutable, ["gcore", String(fixture.pid), "-o", "\(directory)/never.core"])
        #expect(waitUntilTraced(fixture, while: diag))
        usleep(100_000)
        kill(diag.pid, SIGKILL)
        #expect(diag.wait() == 128 + SIGKILL)
        // The data went into an unnamed O_TMPFILE (ext4, tmpfs, xfs and btrfs have them).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        // The kernel detached the threads when their tracer died.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && fixture.tracerPIDs.contains(where: { $0 != 0 }) { usleep(10_000) }
        #expect(fixture.isRunning)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
    }

    @Test func aSymlinkOrExistingFileIsRefusedBeforeTheTargetIsStopped() throws {
        let fixture = try FixtureProcess.native("core_target")
        let directory = try FixturePaths.temporaryDirectory("diag-gcore-refuse")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = "\(directory)/victim"
        try "keep".write(toFile: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/link.core", withDestinationPath: victim)
        let viaLink = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/link.core"], timeout: 30)
        #expect(viaLink.status == 3)
        #expect(viaLink.standardError.contains("refusing to write through the symlink \(directory)/link.core"))
        let existing = try Command.diag(["gcore", String(fixture.pid), "-o", victim], timeout: 30)
        #expect(existing.status == 1)
        #expect(existing.standardError.contains("\(victim) already exists"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        // Never stopped: no thread was traced, and no voluntary stop shows in its stat.
        #expect(fixture.isRunning)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == ["victim", "link.core"])
    }

    /// Waits (up to 20 s) until diag holds the fixture's threads.
    private func waitUntilTraced(_ fixture: FixtureProcess, while diag: SpawnedProcess) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && !fixture.tracerPIDs.contains(where: { $0 != 0 }) && diag.isRunning { usleep(1000) }
        return fixture.tracerPIDs.contains { $0 != 0 }
    }
}
