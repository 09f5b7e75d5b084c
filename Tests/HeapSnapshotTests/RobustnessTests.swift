import Foundation
import Testing
@testable import HeapSnapshot
import TestSupport

/// Damaged copies of real snapshots must give a clean error or a usable result: never a
/// crash (a trap would kill the test process) and never a hang (time limit).
@Suite struct RobustnessTests {
    static func mutate(_ original: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = original
        guard !bytes.isEmpty else { return bytes }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes.removeSubrange(at...)
        case 1: bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 2:
            let huge = ["4294967295", "4294967296", "18446744073709551615", "99999999999999999999", "0", "7"].randomElement(using: &rng)!
            var end = at
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            bytes.replaceSubrange(at..<end, with: Array(huge.utf8))
        case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng)))
        case 4:
            let chunk = bytes[at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng))]
            bytes.insert(contentsOf: chunk, at: at)
        case 5:
            let junk: [[UInt8]] = [[0xFF], [0xC3, 0x28], Array("\"".utf8), Array("]".utf8), Array("}".utf8), Array(",".utf8), Array("\\u12".utf8), [0]]
            bytes.insert(contentsOf: junk.randomElement(using: &rng)!, at: at)
        default:
            // Swap two digits of a number: shifts indices and counts while keeping the JSON valid.
            if at + 1 < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, bytes[at + 1] >= 0x30, bytes[at + 1] <= 0x39 {
                bytes.swapAt(at, at + 1)
            } else {
                bytes[at] = UInt8(ascii: "9")
            }
        }
        return bytes
    }

    /// Reads the bytes and, when they parse, runs every analysis on them.
    static func exercise(_ bytes: [UInt8], path: String) -> String {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        do {
            let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: path))
            _ = analysis.classSummary()
            _ = analysis.comparisonTable()
            for node in analysis.largestObjects(limit: 3) { _ = analysis.retainerPath(to: node) }
            var growth = RetainedGrowth(target: analysis) { $0 % 3 == 0 }
            growth.resolvePaths(in: analysis, limit: 3, includeInternal: true, scripts: ScriptNames())
            return "ok"
        } catch let error as HeapSnapshotError {
            #expect(!error.description.isEmpty)
            return "error"
        } catch {
            Issue.record("unexpected error type: \(error)")
            return "other"
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedSnapshotsNeverCrashOrHang() throws {
        let files = try PlantedLeakSnapshots.get()
        // A small real snapshot: the suspects of the planted leak (real ids, names, types).
        let outcome = try HeapDiff.run(paths: [files.a, files.b], top: 2)
        let small = try writeTemporary("", name: "small.heapsnapshot")
        try FileManager.default.removeItem(atPath: small)  // diag never writes over a file
        try SuspectsSnapshotWriter.write(path: small, analysis: outcome.target!, clusters: outcome.growth!.clusters.prefix(2).map { [$0.representative] })
        let inputs: [(bytes: [UInt8], rounds: Int)] = [
            (Array(try Data(contentsOf: URL(fileURLWithPath: small))), 400),
            (Array(tinySnapshot.utf8), 400),
            (Array(try Data(contentsOf: URL(fileURLWithPath: files.a))), 6),
        ]
        var rng = SplitMix(state: 20261121)
        let scratch = try writeTemporary("", name: "mutant.heapsnapshot")
        var outcomes: [String: Int] = [:]
        for input in inputs {
            for _ in 0..<input.rounds {
                var bytes = input.bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) { bytes = Self.mutate(bytes, &rng) }
                outcomes[Self.exercise(bytes, path: scratch), default: 0] += 1
            }
        }
        #expect(outcomes["other"] == nil)
        #expect((outcomes["error"] ?? 0) > 100)
        #expect((outcomes["ok"] ?? 0) > 10)
    }
}
