import Foundation
import HeapSnapshot
import Testing
import TestSupport

/// Leak reports a person can act on, on snapshots `diag heap` took of real Node processes
/// (`Tests/Fixtures/node/leaks.js`): each leak is one entry named after what grows, its path
/// names the variable and the closure with its line, and V8 bookkeeping is left out.
@Suite(.serialized) struct ReadableLeakTests {
    /// 500 objects grow per step; the first entry is the leak, and no other entry is V8's own.
    private func report(_ scenario: String, all: Bool = false) throws -> HeapDiffReport {
        let files = try LeakScenarioSnapshots.get(scenario)
        let report = try HeapDiff.run(paths: files.paths, top: 10, includeInternal: all).report
        #expect(report.ids.comparable)
        return report
    }

    @Test func mapInAClosureIsNamedAfterTheVariableAndTheClosure() throws {
        let report = try report("registry")
        let top = try #require(report.suspects?.first)
        #expect(top.cluster == 1)
        #expect(top.className == "RequestRecord")
        #expect(top.count == 500)
        // Keys and values of the one Map are one entry.
        #expect(top.classes.contains { $0.className == "(string)" && $0.count >= 500 })
        #expect(!report.suspects!.dropFirst().contains { $0.className == "RequestRecord" })
        #expect(top.retainerPathText.hasPrefix("global → trackRequest: trackRequest (leaks.js:24) → registry: Map → 'req-"), "\(top.retainerPathText)")
        #expect(!top.retainerPathText.contains("Handle scope"))
        #expect(top.closureLocations.first { $0.name == "trackRequest" }?.location.line == 24)
        #expect(top.closureLocations.first?.location.url?.hasSuffix("/leaks.js") == true)
        #expect(top.retainerPath.contains { $0.edgeType == "context" && $0.edgeName == "registry" && $0.text == "registry: Map" })
        #expect(report.suspects!.allSatisfy { !$0.isV8Internal })
        let summary = try #require(report.v8InternalGrowth)
        #expect(summary.clusters > 0 && summary.retainedSize > 0)
        #expect(report.render().contains("V8 internal growth: "))
        #expect(report.render().contains(", see --all"))
    }

    @Test func listenersOnOneEmitterAreOneEntryNamedAfterTheSessions() throws {
        let report = try report("bus")
        let top = try #require(report.suspects?.first)
        #expect(top.className == "ClientSession")
        #expect(top.count == 500)
        #expect(top.classes.contains { $0.className == "Function" && $0.count == 500 })
        #expect(top.retainerPathText.hasPrefix("global → bus: EventEmitter → _events: Object → 'config-changed': Array → ["), "\(top.retainerPathText)")
        #expect(top.retainerPathText.contains("(anonymous) (leaks.js:33) → this: ClientSession @"), "\(top.retainerPathText)")
        #expect(!report.suspects!.dropFirst().contains { $0.className == "ClientSession" || $0.className == "Function" })
        #expect(top.retainedSize > 0.7 * (report.retainedGrowth ?? 0))
    }

    @Test func moduleLevelCacheNamesTheModuleFunctionAndTheArray() throws {
        let report = try report("cache")
        let top = try #require(report.suspects?.first)
        #expect(top.className == "CachedResult")
        #expect(top.count == 500)
        #expect(top.groups == 500)
        #expect(top.retainerPathText.contains("remember: remember (cache.js:10) → resultCache: Array → ["), "\(top.retainerPathText)")
    }

    @Test func intervalClosureNamesTheTimerCallbackAndItsArray() throws {
        let report = try report("interval")
        let top = try #require(report.suspects?.first)
        #expect(top.className == "Sample")
        #expect(top.count == 500)
        #expect(top.retainerPathText.contains("_onTimeout: collectSamples (leaks.js:62) → samples: Array → ["), "\(top.retainerPathText)")
    }

    @Test func summaryAnalysisPathsNameMapKeysLikeFullOnes() throws {
        // diag summary's analysis keeps edge targets on file; its paths read the few they need.
        let path = try LeakScenarioSnapshots.get("registry").paths[2]
        let summary = SnapshotAnalysis(try HeapSnapshotReader.read(path: path), depth: .summary)
        let full = SnapshotAnalysis(try HeapSnapshotReader.read(path: path))
        let record = try #require((0..<full.graph.nodeCount).first { full.className(of: $0) == "RequestRecord" })
        let text = RetainerPathText.render(full.retainerPath(to: record))
        #expect(text.contains(":24) → registry: Map → 'req-"), "\(text)")
        #expect(RetainerPathText.render(summary.retainerPath(to: record, scripts: ScriptNames(besideSnapshot: path)))
                == RetainerPathText.render(full.retainerPath(to: record, scripts: ScriptNames(besideSnapshot: path))))
    }

    @Test func withoutTheScriptsFileClosuresNameTheScriptId() throws {
        let files = try LeakScenarioSnapshots.get("registry")
        let dir = try FixturePaths.temporaryDirectory()
        let copies = try files.paths.enumerated().map { n, path in
            let copy = "\(dir)/bare-\(n + 1).heapsnapshot"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            return copy
        }
        let top = try #require(try HeapDiff.run(paths: copies, top: 10).report.suspects?.first)
        let location = try #require(top.closureLocations.first { $0.name == "trackRequest" }?.location)
        #expect(location.url == nil && location.line == 24)
        #expect(top.retainerPathText.contains("trackRequest: trackRequest (script \(location.scriptId):24) → registry: Map"), "\(top.retainerPathText)")
    }

    @Test func entriesAreRankedByRetainedSizeThenCount() throws {
        for scenario in ["registry", "bus"] {
            let suspects = try report(scenario, all: true).suspects ?? []
            #expect(suspects.count > 1)
            #expect(suspects.map(\.cluster) == Array(1...suspects.count))
            for (a, b) in zip(suspects, suspects.dropFirst()) {
                #expect(a.retainedSize > b.retainedSize || (a.retainedSize == b.retainedSize && a.count >= b.count),
                        "\(scenario): #\(a.cluster) \(a.retainedSize) ×\(a.count) before #\(b.cluster) \(b.retainedSize) ×\(b.count)")
            }
        }
    }

    @Test func allListsTheV8InternalsAndKeepsTheComparison() throws {
        let plain = try report("registry")
        let all = try report("registry", all: true)
        #expect(all.v8InternalGrowth == nil)
        #expect(all.suspects?.contains { $0.isV8Internal && $0.classes.contains { $0.className == "(compiled code)" } } == true)
        #expect(all.suspects?.first { !$0.isV8Internal }?.className == "RequestRecord")
        #expect(all.comparison?.map(\.className) == plain.comparison?.map(\.className))
        #expect(all.comparison?.map(\.sizeDelta) == plain.comparison?.map(\.sizeDelta))
        #expect(all.retainedGrowth == plain.retainedGrowth)
    }

    @Test func commandLineJSONAndSuspectsFileCarryTheSameEntries() throws {
        let files = try LeakScenarioSnapshots.get("bus")
        let dir = try FixturePaths.temporaryDirectory()
        let run = try Command.diag(["diff"] + files.paths + ["--json", "--write-suspects", "\(dir)/suspects.heapsnapshot"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let suspects = try #require(json["suspects"] as? [[String: Any]])
        #expect(suspects.first?["className"] as? String == "ClientSession")
        #expect(suspects.first?["count"] as? Int == 500)
        #expect(suspects.first?["cluster"] as? Int == 1)
        let steps = try #require(suspects.first?["retainerPath"] as? [[String: Any]])
        #expect(steps.contains { $0["edgeName"] as? String == "config-changed" && $0["text"] as? String == "'config-changed': Array" })
        let locations = try #require(suspects.first?["closureLocations"] as? [[String: Any]])
        #expect(locations.contains { ($0["location"] as? [String: Any])?["line"] as? Int == 33 })
        #expect((json["v8InternalGrowth"] as? [String: Any])?["retainedSize"] as? Double ?? 0 > 0)
        let written = try HeapSnapshotReader.read(path: "\(dir)/suspects.heapsnapshot")
        #expect(SnapshotAnalysis(written).classSummary().contains { $0.name == "ClientSession" && $0.count == 500 })

        let text = try Command.diag(["diff"] + files.paths + ["--all"])
        #expect(text.standardOutput.contains("(V8 internal)"))
        #expect(!text.standardOutput.contains("V8 internal growth:"))
    }

    @Test func summaryShowsTheReadablePathOfTheLargestObjects() throws {
        let files = try LeakScenarioSnapshots.get("registry")
        let run = try Command.diag(["summary", files.paths[2], "--top", "15"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("Map @"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("global → trackRequest: trackRequest (leaks.js:24) → registry: Map @"), "\(run.standardOutput)")
        let json = try Command.diag(["summary", files.paths[2], "--top", "15", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let largest = try #require(object["largestObjects"] as? [[String: Any]])
        let map = try #require(largest.first { ($0["retainerPathText"] as? String)?.contains("registry: Map @") == true })
        let closures = try #require(map["closureLocations"] as? [[String: Any]])
        #expect(closures.contains { $0["name"] as? String == "trackRequest" && ($0["location"] as? [String: Any])?["line"] as? Int == 24 })
        #expect(!largest.contains { ($0["retainerPathText"] as? String)?.contains("Handle scope") == true })
        let all = try Command.diag(["summary", files.paths[2], "--top", "15", "--all"])
        #expect(all.status == 0)
        #expect(all.standardOutput != run.standardOutput)
    }
}
