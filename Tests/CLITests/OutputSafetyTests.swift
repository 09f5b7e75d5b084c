import Foundation
import Testing
import TestSupport

/// Output files as every command writes them: default names that stay unique, and paths
/// refused before the target is touched.
@Suite struct OutputSafetyTests {
    @Test func twoCPURunsInTheSameSecondLeaveTwoProfiles() throws {
        let fixture = try FixtureProcess.native("spin")
        let directory = try FixturePaths.temporaryDirectory("diag-names")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let command = "cd '\(directory)' && exec '\(FixturePaths.diagExecutable)' cpu \(fixture.pid) --duration 1 --quiet"
        let runs = try (0..<2).map { _ in try Spawn.start("/bin/sh", ["-c", command]) }
        for run in runs {
            var status: Int32 = 0
            while waitpid(run, &status, 0) < 0 && errno == EINTR {}
            #expect(status == 0, "exit status \(status)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names.count == 2, "\(names)")
        #expect(names.allSatisfy { $0.hasPrefix("cpu-") && $0.hasSuffix(".cpuprofile") })
        // Started within milliseconds: usually the same stamp, then the second is NAME-2.
        if names.count == 2, names[0].count != names[1].count {
            #expect(names.contains { $0.hasSuffix("-2.cpuprofile") })
        }
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil)
        }
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
    }

    @Test(arguments: ["output", "sidecar"])
    func aSymlinkedHeapOutputIsRefusedBeforeTheInspectorOpens(_ which: String) throws {
        let directory = try FixturePaths.temporaryDirectory("diag-heap-link")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = "\(directory)/node.log"
        let script = "\(FixturePaths.fixtures)/node/hot-functions.js"
        let node = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "exec node '\(script)' 2>'\(log)'"])
        let victim = "\(directory)/victim"
        try "keep".write(toFile: victim, atomically: true, encoding: .utf8)
        let output = "\(directory)/snap.heapsnapshot"
        let link = which == "output" ? output : "\(directory)/snap.scripts.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let result = try Command.diag(["heap", String(node.pid), "-o", output], timeout: 60)
        #expect(result.status == 3, "\(result.standardError)")
        #expect(result.standardError.contains("refusing to write through the symlink \(link)"))
        usleep(500_000)  // a SIGUSR1 would have made node print within this time
        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(!stderr.contains("Debugger listening"), "\(stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
        #expect(node.isRunning)
    }
}
