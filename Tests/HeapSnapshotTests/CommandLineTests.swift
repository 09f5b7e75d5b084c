import Foundation
import Testing
import TestSupport

/// `diag summary` and `diag diff` as a user runs them: the built binary, real files.
@Suite struct CommandLineTests {
    @Test func summaryPrintsJSONWithTheTables() throws {
        let files = try PlantedLeakSnapshots.get()
        let run = try Command.diag(["summary", files.b, "--json", "--top", "3"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect((json["topByRetainedSize"] as? [Any])?.count == 3)
        #expect((json["largestObjects"] as? [Any])?.count == 3)
        #expect((json["totalSize"] as? Double ?? 0) > 1_000_000)
    }

    @Test func summaryTextNamesTheLeakHolder() throws {
        let files = try PlantedLeakSnapshots.get()
        let run = try Command.diag(["summary", files.c])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("Top constructors by retained size"))
        #expect(run.standardOutput.contains("leakStore: Map"))
    }

    @Test func diffFailsWhenGrowthExceedsTheLimit() throws {
        let files = try PlantedLeakSnapshots.get()
        let over = try Command.diag(["diff", files.a, files.b, "--fail-if-growth", "100kB"])
        #expect(over.status == 5)
        #expect(over.standardError.contains("exceeds --fail-if-growth"))
        #expect(over.standardOutput.contains("#1 LeakyRecord ×"))
        let under = try Command.diag(["diff", files.a, files.b, "--fail-if-growth", "50MB", "--quiet"])
        #expect(under.status == 0)
        #expect(under.standardOutput.isEmpty)
    }

    @Test func diffWritesSuspectsAndJSON() throws {
        let files = try PlantedLeakSnapshots.get()
        let out = try FixturePaths.temporaryDirectory("diag-suspects") + "/suspects.heapsnapshot"
        let run = try Command.diag(["diff", files.a, files.b, files.c, "--json", "--write-suspects", out])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let suspects = try #require(json["suspects"] as? [[String: Any]])
        #expect(suspects.first?["className"] as? String == "LeakyRecord")
        var status = stat()
        #expect(stat(out, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func diffSaysWhenIdsAreNotComparable() throws {
        let files = try PlantedLeakSnapshots.get()
        let run = try Command.diag(["diff", files.a, files.otherProcess])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("object ids are not comparable"))
        #expect(run.standardOutput.contains("falling back to class-level comparison"))
    }

    @Test func brokenAndMissingFilesGiveClearErrors() throws {
        let files = try PlantedLeakSnapshots.get()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: files.a))
        let truncated = try writeTemporary(bytes: Array(bytes.prefix(bytes.count / 2)))
        let broken = try Command.diag(["summary", truncated])
        #expect(broken.status == 1)
        #expect(broken.standardError.contains("truncated heap snapshot: the file ends at byte \(bytes.count / 2)"))
        let missing = try Command.diag(["diff", "/nonexistent/a.heapsnapshot", files.b])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("no such file"))
    }

    @Test func summaryReadsCPUProfiles() throws {
        let dir = try FixturePaths.temporaryDirectory("diag-cpuprofile")
        let work = "function spin(){let x=0;for(let i=0;i<3e7;i++)x+=i%7;return x} spin();"
        let node = try Command.run("/usr/bin/env", ["node", "--cpu-prof", "--cpu-prof-dir=\(dir)", "-e", work], timeout: 60)
        #expect(node.status == 0)
        let profile = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".cpuprofile") })
        let run = try Command.diag(["summary", dir + "/" + profile, "--top", "5"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("Top functions by self time"))
        #expect(run.standardOutput.contains("spin"))
    }
}
