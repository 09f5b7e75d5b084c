import DiagSupport
import EventLoop
import Foundation
import TestSupport
import Testing

/// The text summary, the --json keys and the Trace Event file of a small hand-made report.
@Suite struct LoopReportTests {
    static func block(_ function: String, _ line: Int, _ kind: LoopBlockKind, _ duration: Double, at start: Double) -> LoopBlock {
        LoopBlock(function: function, url: "file:///srv/app.js", line: line, kind: kind, durationMilliseconds: duration,
                  startMilliseconds: start, stack: [.init(function: function, url: "file:///srv/app.js", line: line)])
    }

    static let report = LoopReport(
        pid: 42, windowMilliseconds: 10_000, thresholdMilliseconds: 50,
        blocks: [block("parseBody", 12, .json, 80, at: 100), block("validate", 30, .regexp, 300, at: 900),
                 block("parseBody", 12, .json, 120, at: 2000)],
        lag: LoopLag(lagMilliseconds: .init(p50: 0.5, p99: 290, max: 301), samples: 700), utilization: 0.25,
        threadpool: ThreadpoolActivity(threads: 4, busyFraction: 0.97, top: [.init(function: "node::crypto::PBKDF2Traits::DeriveBits", share: 1)],
                                       saturated: true, samples: 3880),
        threadpoolNote: nil, output: nil, notes: [])

    @Test func textRanksCulpritsByTotalBlockedTime() {
        let text = Self.report.renderText()
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "3 event-loop blocks of 50 ms or more in 10 s (process 42), 500 ms blocked in all:")
        #expect(lines[2].hasPrefix("  function"))
        #expect(lines[3].hasPrefix("  validate   /srv/app.js:30  regexp"))
        #expect(lines[3].hasSuffix("1       300     300"))
        #expect(lines[4].hasPrefix("  parseBody  /srv/app.js:12  json"))
        #expect(lines[4].hasSuffix("2       200     120"))
        #expect(text.contains("Lag: p50 0.5 ms, p99 290 ms, max 301 ms; event-loop utilization 25%"))
        #expect(text.contains("Threadpool: 4 worker threads, busy 97%, saturated (work waits in the queue longer than it runs); running node::crypto::PBKDF2Traits::DeriveBits 100%"))
    }

    @Test func jsonHasTheKeysTheIssueNames() throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(try JSONOutput.encode(Self.report).utf8)) as? [String: Any])
        for key in ["blocks", "lagMilliseconds", "utilization", "threadpool"] { #expect(object[key] != nil, "\(key)") }
        let block = try #require((object["blocks"] as? [[String: Any]])?.first)
        #expect(Set(block.keys) == ["function", "url", "line", "kind", "durationMilliseconds", "startMilliseconds", "stack"])
        #expect(Set((block["stack"] as? [[String: Any]])?.first?.keys ?? [:].keys) == ["function", "url", "line"])
        #expect(Set((object["lagMilliseconds"] as? [String: Any])?.keys ?? [:].keys) == ["p50", "p99", "max"])
        let pool = try #require(object["threadpool"] as? [String: Any])
        #expect(pool["threads"] as? Int == 4)
        #expect(pool["busyFraction"] as? Double == 0.97)
        #expect(Set((pool["top"] as? [[String: Any]])?.first?.keys ?? [:].keys) == ["function", "share"])
    }

    @Test func traceFileOpensInDevToolsWithOneSlicePerBlock() throws {
        let data = try LoopTrace.json(pid: 42, blocks: Self.report.blocks, windowStart: 5_000_000, windowEnd: 15_000_000)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let slices = (object["traceEvents"] as? [[String: Any]] ?? []).filter { ($0["cat"] as? String) == "diag,loop" }
        #expect(slices.map { $0["ts"] as? Int } == [5_100_000, 5_900_000, 7_000_000])
        #expect(slices.map { $0["dur"] as? Int } == [80_000, 300_000, 120_000])
        #expect(slices.map { $0["name"] as? String } == ["json: parseBody", "regexp: validate", "json: parseBody"])
        guard DevToolsCheck.isAvailable else { return }
        let directory = try FixturePaths.temporaryDirectory("loop-trace")
        let path = "\(directory)/loop.json"
        try data.write(to: URL(fileURLWithPath: path))
        let check = try DevToolsCheck.run("trace", path)
        #expect(check.accepted, "\(check.summary)")
    }
}
