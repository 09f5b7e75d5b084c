import Foundation
import Glibc
import NodeChannel
import Testing
import TestSupport

/// `diag watch` on real Node.js targets whose loop blocks or whose heap grows.
@Suite(.serialized) struct WatchCommandTests {
    @Test func aBlockedLoopCatchesAProfileOfTheBlockingFunction() throws {
        // With optimisation on, TurboFan (OSR of the busy loop, inlined into listOnTimeout) makes V8
        // name only listOnTimeout in some runs; the fixture runs unoptimised so the test is stable.
        let target = try FixtureProcess.node("watch-target.js", nodeFlags: ["--no-opt"],
                                             environment: ["WATCH_MODE": "block", "NODE_OPTIONS": "--inspect-port=0"])
        let directory = try FixturePaths.temporaryDirectory("watch-cpu")
        let result = try Command.diag(["watch", String(target.pid), "--lag", "100ms", "--cpu", "1000%", "--heap-growth", "1GB",
                                       "--for", "17s", "-o", directory], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("lag p99 ") && lines[0].contains("> 100ms: wrote \(directory)/cpu-watch-target-"),
                "\(result.standardOutput)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".cpuprofile") }
        let file = try #require(files.first.map { "\(directory)/\($0)" })
        #expect(fileMode(file) == 0o600)
        let profile = jsonObject(try String(contentsOfFile: file, encoding: .utf8))
        let nodes = profile["nodes"] as? [[String: Any]] ?? []
        let hits = { (node: [String: Any]) in node["hitCount"] as? Int ?? 0 }
        // Samples in blockTheLoop or below it (Date.now is a frame of its own).
        let byID = Dictionary(nodes.map { ($0["id"] as? Int ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        func inclusive(_ node: [String: Any]) -> Int {
            hits(node) + (node["children"] as? [Int] ?? []).compactMap { byID[$0] }.map(inclusive).reduce(0, +)
        }
        let blocking = nodes.filter { ($0["callFrame"] as? [String: Any])?["functionName"] as? String == "blockTheLoop" }.map(inclusive).reduce(0, +)
        let total = nodes.map(hits).reduce(0, +)
            - nodes.filter { ["(idle)", "(program)", "(garbage collector)"].contains(($0["callFrame"] as? [String: Any])?["functionName"] as? String ?? "") }.map(hits).reduce(0, +)
        // The loop is blocked 300 ms of every 500 ms: most samples outside idle, program and gc are in blockTheLoop (about 90 % unloaded).
        #expect(total > 0 && Double(blocking) / Double(total) > 0.5, "blockTheLoop has \(blocking) of \(total) samples; top: \(nodes.sorted { hits($0) > hits($1) }.prefix(4).map { "\(($0["callFrame"] as? [String: Any])?["functionName"] ?? "") \(hits($0))" })")
        #expect(target.isRunning)
        try NodeChannel.withChannel(pid: target.pid, purpose: "test") { channel in
            let removed = try channel.evaluate("globalThis[Symbol.for('diag.metrics')] === undefined") as? Bool
            #expect(removed == true)
        }
    }

    @Test func heapGrowthTakesTwoSnapshotsInOneSession() throws {
        let target = try FixtureProcess.node("watch-target.js", environment: ["WATCH_MODE": "grow", "NODE_OPTIONS": "--inspect-port=0"])
        let directory = try FixturePaths.temporaryDirectory("watch-heap")
        let result = try Command.diag(["watch", String(target.pid), "--heap-growth", "5MB", "--lag", "10s", "--for", "6s", "-o", directory],
                                      timeout: 180)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("heap used grew "), "\(result.standardOutput)")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".heapsnapshot") }.sorted()
        #expect(snapshots.count == 2 && snapshots[0].hasSuffix("-1.heapsnapshot") && snapshots[1].hasSuffix("-2.heapsnapshot"), "\(snapshots)")
        let diff = try Command.diag(["diff", "\(directory)/\(snapshots[0])", "\(directory)/\(snapshots[1])", "--json"], timeout: 120)
        #expect(diff.status == 0, "\(diff.standardError)")
    }

    @Test func aNativeProcessIsExitStatus4() throws {
        let target = try FixtureProcess.native("spin")
        let result = try Command.diag(["watch", String(target.pid), "--for", "2s"], timeout: 30)
        #expect(result.status == 4, "\(result.standardError)")
    }
}
