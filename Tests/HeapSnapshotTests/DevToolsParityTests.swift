import Foundation
import Testing
import TestSupport
@testable import HeapSnapshot

/// Runs ../shared/devtools-check (the real DevTools heap snapshot worker in headless Chromium).
enum DevToolsCheck {
    static let script: String? = {
        let candidates = [ProcessInfo.processInfo.environment["DEVTOOLS_CHECK"],
                          FixturePaths.repository + "/../shared/devtools-check/devtools_check.py",
                          "/work/shared/devtools-check/devtools_check.py"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    /// True when the script, chromium and the playwright module are all present.
    static let available: Bool = {
        guard script != nil else { return false }
        let hasChromium = FileManager.default.fileExists(atPath: "/usr/lib/chromium/chromium") || Command.exists("chromium")
        let hasPlaywright = (try? Command.run("/usr/bin/env", ["python3", "-c", "import playwright"]))?.status == 0
        return hasChromium && hasPlaywright
    }()

    /// Runs the checker; checks run one at a time across suites and test processes (the same
    /// lock file as the other suites), since each starts a browser.
    static func run(_ arguments: [String]) throws -> [String: Any] {
        let result = try Command.run("/usr/bin/env", ["flock", "/tmp/diag-devtools-check.lock", "python3", script!] + arguments,
                                     timeout: 400)
        guard let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else {
            throw FixtureError("devtools-check printed no JSON: \(result.standardError)")
        }
        return object
    }
}

/// Diag's Summary and Comparison numbers against DevTools' own, for every class, on real
/// Node snapshots. Serialized: each check starts a browser.
@Suite(.serialized, .enabled(if: DevToolsCheck.available, "needs chromium and python playwright"))
struct DevToolsParityTests {
    @Test(arguments: ["a", "c", "diverse"])
    func summaryMatchesDevToolsExactly(_ name: String) throws {
        let files = try PlantedLeakSnapshots.get()
        let path = files.directory + "/\(name).heapsnapshot"
        let devtools = try DevToolsCheck.run(["heapsnapshot", path, "--top", "1000000"])
        let summary = try #require(devtools["summary"] as? [String: Any])
        let analysis = try PlantedLeakSnapshots.analysis(path)
        #expect(summary["nodeCount"] as? Int == analysis.graph.nodeCount)
        #expect(summary["totalSize"] as? Double == analysis.totalSize)
        let expected = try #require(summary["topByRetainedSize"] as? [[String: Any]])
        let mine = Dictionary(uniqueKeysWithValues: analysis.classSummary().map { ($0.key, $0) })
        #expect(mine.count == expected.count)
        var mismatches: [String] = []
        for row in expected {
            let key = row["key"] as! String
            guard let m = mine[key] else { mismatches.append("missing \(key)"); continue }
            if m.count != row["count"] as? Int || Double(m.shallowSize) != row["shallowSize"] as? Double
                || m.retainedSize != row["retainedSize"] as? Double || Int(m.distance) != row["distance"] as? Int {
                mismatches.append("\(key): diag \(m.count)/\(m.shallowSize)/\(m.retainedSize)/\(m.distance) devtools \(row)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func comparisonMatchesDevToolsExactly() throws {
        let files = try PlantedLeakSnapshots.get()
        let devtools = try DevToolsCheck.run(["heapsnapshot", files.c, "--base", files.a, "--top", "1000000"])
        let comparison = try #require(devtools["comparison"] as? [String: Any])
        let expected = try #require(comparison["top"] as? [[String: Any]])
        let report = try HeapDiff.run(paths: [files.a, files.c], top: 1_000_000).report
        let mine = try #require(report.comparison)
        #expect(mine.count == expected.count)
        #expect(report.comparisonTotals?.changedClasses == comparison["changedConstructors"] as? Int)
        // DevTools' rows carry the class name only; names are unique among the changed rows here.
        let byName = Dictionary(grouping: mine, by: \.className)
        for row in expected {
            let name = row["constructor"] as! String
            let m = byName[name]?.first
            #expect(byName[name]?.count == 1, "\(name)")
            #expect(m?.newCount == row["new"] as? Int, "\(name)")
            #expect(m?.deletedCount == row["deleted"] as? Int, "\(name)")
            #expect(m.map { Double($0.allocatedSize) } == row["allocSize"] as? Double, "\(name)")
            #expect(m.map { Double($0.freedSize) } == row["freedSize"] as? Double, "\(name)")
        }
    }

    @Test func suspectsFileOpensInDevTools() throws {
        let files = try PlantedLeakSnapshots.get()
        let outcome = try HeapDiff.run(paths: [files.a, files.b], top: 3)
        let path = try writeTemporary("", name: "suspects.heapsnapshot")
        try FileManager.default.removeItem(atPath: path)  // diag never writes over a file
        try SuspectsSnapshotWriter.write(path: path, analysis: outcome.target!,
                                         clusters: outcome.growth!.clusters.prefix(3).map(\.suspectsFileObjects))
        let devtools = try DevToolsCheck.run(["heapsnapshot", path, "--top", "1000000"])
        #expect(devtools["ok"] as? Bool == true)
        let rows = (devtools["summary"] as? [String: Any])?["topByRetainedSize"] as? [[String: Any]] ?? []
        #expect(rows.contains { $0["constructor"] as? String == "LeakyRecord" })
    }
}
