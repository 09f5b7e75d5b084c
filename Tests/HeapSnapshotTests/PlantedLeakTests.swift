import Testing
import Glibc
@testable import HeapSnapshot

/// Real Node snapshots with a planted leak: LeakyRecord objects pile up in a Map held by the
/// closure variable `leakStore` of the global function `recordRequest`, next to ChurnItem
/// objects that are allocated and released at every step.
@Suite struct PlantedLeakTests {
    @Test func comparisonPutsThePlantedClassFirstAndChurnNowhere() throws {
        let files = try PlantedLeakSnapshots.get()
        let outcome = try HeapDiff.run(paths: [files.a, files.b], top: 1000)
        let rows = try #require(outcome.report.comparison)
        #expect(rows.first?.className == "LeakyRecord")
        #expect(rows.first?.newCount == 3000)
        #expect(rows.first?.deletedCount == 0)
        #expect(!rows.contains { $0.className == "ChurnItem" })
        #expect(outcome.report.ids.comparable)
    }

    @Test func retainedGrowthNamesTheMapAndTheVariable() throws {
        let files = try PlantedLeakSnapshots.get()
        let report = try HeapDiff.run(paths: [files.a, files.b], top: 5).report
        let top = try #require(report.suspects?.first)
        #expect(top.className == "LeakyRecord")
        #expect(top.classes.contains { $0.className == "LeakyRecord" && $0.count == 3000 })
        #expect(top.retainerPath.contains { $0.edgeName == "leakStore" && $0.edgeType == "context" && $0.className == "Map" })
        #expect(top.retainerPath.contains { $0.edgeName == "recordRequest" })
        #expect(top.retainerPathText.contains("leakStore: Map"))
        #expect(top.retainedSize > 0.9 * (report.retainedGrowth ?? 0))
        for suspect in report.suspects ?? [] {
            #expect(!suspect.classes.contains { $0.className == "ChurnItem" })
        }
    }

    @Test func threeSnapshotsKeepObjectsNewInBAndAliveInC() throws {
        let files = try PlantedLeakSnapshots.get()
        let report = try HeapDiff.run(paths: [files.a, files.b, files.c], top: 5).report
        #expect(report.mode == "baseline-target-final")
        let top = try #require(report.suspects?.first)
        #expect(top.className == "LeakyRecord")
        // The 3000 records made between A and B, each its own group under the old Map table in C;
        // the 3000 made between B and C are not candidates.
        #expect(top.classes.first { $0.className == "LeakyRecord" }?.count == 3000)
        #expect(top.groups == 3000)
        #expect(top.retainerPath.contains { $0.edgeName == "leakStore" })
    }

    @Test func snapshotsOfAnotherProcessAreNotComparable() throws {
        let files = try PlantedLeakSnapshots.get()
        let report = try HeapDiff.run(paths: [files.a, files.otherProcess], top: 5).report
        #expect(!report.ids.comparable)
        #expect(report.ids.note?.contains("not comparable") == true)
        #expect(report.comparison == nil)
        #expect(report.suspects == nil)
        #expect(report.classTotalsChanges != nil)
    }

    @Test func closingAnInspectorSessionBreaksIdComparison() throws {
        let files = try PlantedLeakSnapshots.get()
        let report = try HeapDiff.run(paths: [files.c, files.afterSession], top: 5).report
        #expect(!report.ids.comparable)
        #expect(report.ids.agreement < 0.5)
    }

    @Test func summaryShowsTheLeakHolderAmongTheLargestObjects() throws {
        let files = try PlantedLeakSnapshots.get()
        let analysis = try PlantedLeakSnapshots.analysis(files.c)
        let summary = HeapSummaryReport(file: files.c, fileSize: 0, analysis: analysis, top: 10)
        let map = try #require(summary.largestObjects.first { $0.className == "Map" && $0.retainerPathText.contains("leakStore") })
        #expect(map.retainerPath.first?.nodeName == "global")
        #expect(summary.topByCount.count == 10)
        let leaky = try #require(analysis.classSummary().first { $0.name == "LeakyRecord" })
        #expect(leaky.count == 6100)
    }

    @Test func suspectsFileIsASmallValidSnapshot() throws {
        let files = try PlantedLeakSnapshots.get()
        let outcome = try HeapDiff.run(paths: [files.a, files.b], top: 3)
        let target = try #require(outcome.target)
        let growth = try #require(outcome.growth)
        let path = try writeTemporary("", name: "suspects.heapsnapshot")
        unlink(path)  // diag never writes over a file
        let file = try SuspectsSnapshotWriter.write(path: path, analysis: target,
                                                       clusters: growth.clusters.prefix(3).map(\.suspectsFileObjects))
        let reread = SnapshotAnalysis(try HeapSnapshotReader.read(path: path))
        #expect(reread.graph.nodeCount == file.nodes && file.complete)
        // The new records, as the report counts them, and of the older ones only those on a
        // retainer path (one per cluster at most), not the 100 older records the new Map table holds.
        let reported = growth.clusters.prefix(3).reduce(0) { $0 + ($1.classes.first { $0.name == "LeakyRecord" }?.count ?? 0) }
        #expect(reported == 3000)
        let written = reread.classSummary().first { $0.name == "LeakyRecord" }?.count ?? 0
        #expect(written >= reported && written <= reported + 3, "\(written)")
        let holder = try #require((0..<reread.graph.nodeCount).first { reread.className(of: $0) == "LeakyRecord" })
        #expect(reread.retainerPath(to: holder).contains { $0.edgeName == "leakStore" })
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }
}
