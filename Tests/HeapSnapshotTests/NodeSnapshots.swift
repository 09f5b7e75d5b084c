import Foundation
import HeapSnapshot
import TestSupport

/// Heap snapshots written by real Node (`v8.writeHeapSnapshot`) running
/// `Tests/Fixtures/heap/planted-leak.js`, made once per test run in a private temp dir.
struct PlantedLeakSnapshots: Sendable {
    let directory: String
    var a: String { directory + "/a.heapsnapshot" }
    var b: String { directory + "/b.heapsnapshot" }
    var c: String { directory + "/c.heapsnapshot" }
    /// The same program in another process.
    var otherProcess: String { directory + "/other-process.heapsnapshot" }
    /// Written by the process of `c` after an inspector session was closed.
    var afterSession: String { directory + "/after-session.heapsnapshot" }
    /// WeakMaps, WeakRefs, same-named classes, odd property names... (`diverse-heap.js`).
    var diverse: String { directory + "/diverse.heapsnapshot" }

    /// The shared set (Node is run three times per test process; each run is killed after 120 s).
    static let shared: Result<PlantedLeakSnapshots, FixtureError> = {
        do {
            let dir = try FixturePaths.temporaryDirectory("diag-heap")
            let leak = FixturePaths.fixtures + "/heap/planted-leak.js"
            let diverse = FixturePaths.fixtures + "/heap/diverse-heap.js"
            for (script, extra) in [(leak, [String]()), (leak, ["single"]), (diverse, [])] {
                let run = try Command.run("/usr/bin/env", ["node", script, dir] + extra, timeout: 120)
                guard run.status == 0 else { return .failure(FixtureError("node \(script) failed: \(run.standardError)")) }
            }
            return .success(PlantedLeakSnapshots(directory: dir))
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("\(error)"))
        }
    }()

    static func get() throws -> PlantedLeakSnapshots { try shared.get() }

    /// Analyses are cached: several tests look at the same files.
    static func analysis(_ path: String) throws -> SnapshotAnalysis {
        try AnalysisCache.shared.analysis(path)
    }
}

/// Reads each snapshot once per test process.
final class AnalysisCache: @unchecked Sendable {
    static let shared = AnalysisCache()
    private let lock = NSLock()
    private var cache: [String: SnapshotAnalysis] = [:]

    func analysis(_ path: String) throws -> SnapshotAnalysis {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[path] { return hit }
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: path))
        cache[path] = analysis
        return analysis
    }
}
