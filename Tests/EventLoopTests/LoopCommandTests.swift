import Foundation
import NodeChannel
import TestSupport
import Testing

/// `diag loop` end to end through the private channel, on real Node targets that block
/// their loop in known ways and measure each block themselves (performance.now, with the
/// start on CLOCK_MONOTONIC): every block diag reports matches one the target measured,
/// within 20 ms or 20 %, with the right function, line and kind.
@Suite(.serialized) struct LoopCommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let kind: String
        let function: String
        /// The 1-based line; nil for a block that has no script (garbage collection).
        let line: Int?
        let reported: String
        var testDescription: String { kind }
    }

    static let cases = [
        Case(kind: "regexp", function: "catastrophicRegExp", line: 22, reported: "regexp"),
        Case(kind: "json", function: "parseBigJSON", line: 27, reported: "json"),
        Case(kind: "crypto", function: "deriveKeySync", line: 31, reported: "crypto"),
        Case(kind: "fs", function: "readBigFile", line: 36, reported: "sync-fs"),
        Case(kind: "js", function: "busyLoop", line: 40, reported: "js"),
        // V8's profile puts collection time under (root), not under the function that asked.
        Case(kind: "gc", function: "(garbage collector)", line: nil, reported: "gc"),
    ]

    /// A block the fixture measured.
    struct Measured {
        let start: Double
        let milliseconds: Double
    }

    static func startFixture(_ kind: String, blocksFile: String? = nil, environment extra: [String: String] = [:]) throws -> FixtureProcess {
        // --inspect-port=0: the channel's brief TCP inspector gets a random port, never a 9229
        // that another test (or helper) on the machine may be connecting to.
        var environment = ["FIXTURE_LIFETIME": "90", "BLOCK_PERIOD_MS": "600", "NODE_OPTIONS": "--inspect-port=0"]
        if let blocksFile { environment["BLOCKS_FILE"] = blocksFile }
        environment.merge(extra) { _, new in new }
        // No inlining: TurboFan sometimes inlines busyLoop into blockOnce, and the profile
        // then charges the loop to blockOnce, which is right but not what the test checks.
        // --expose-gc: the gc case collects with global.gc().
        let fixture = try FixtureProcess.node("loop-blocker.js", arguments: [kind], nodeFlags: ["--no-turbo-inlining", "--expose-gc"],
                                              environment: environment, timeout: 60)
        usleep(300_000)
        return fixture
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: cases)
    func blocksMatchWhatTheTargetMeasured(_ expected: Case) throws {
        let directory = try FixturePaths.temporaryDirectory("loop-\(expected.kind)")
        let blocksFile = "\(directory)/blocks.jsonl"
        let fixture = try Self.startFixture(expected.kind, blocksFile: blocksFile)
        defer { fixture.stop() }
        let trace = "\(directory)/loop.json"
        let result = try Command.diag(["loop", String(fixture.pid), "--duration", "3s", "--threshold", "40ms", "--json", "-o", trace])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        let blocks = report["blocks"] as? [[String: Any]] ?? []
        #expect(blocks.count >= 4, "\(blocks)")
        // V8's sampler now and then charges a block to the blocker's caller (blockOnce): a
        // tick taken while the blocker is entered or replaced on the stack loses its frame. One
        // such block in a window is allowed; the rest name the blocker exactly.
        let exact = blocks.filter { block in
            let line: Int? = block["line"] as? Int
            return block["function"] as? String == expected.function && line == expected.line
        }
        #expect(exact.count >= blocks.count - 1, "\(blocks)")
        for block in blocks {
            #expect(block["kind"] as? String == expected.reported)
            #expect(expected.line == nil ? (block["url"] as? String ?? "").isEmpty : (block["url"] as? String)?.hasSuffix("/Tests/Fixtures/node/loop-blocker.js") == true)
        }

        // The trace file places the blocks on CLOCK_MONOTONIC, as the fixture's own starts.
        let events = try Self.json(String(contentsOfFile: trace, encoding: .utf8))["traceEvents"] as? [[String: Any]] ?? []
        let window = try #require(events.first { $0["name"] as? String == "diag loop window" })
        let windowStart = Double(window["ts"] as? Int ?? 0) / 1000
        let windowEnd = windowStart + Double(window["dur"] as? Int ?? 0) / 1000
        let slices = events.filter { $0["cat"] as? String == "diag,loop" }.map {
            Measured(start: Double($0["ts"] as? Int ?? 0) / 1000, milliseconds: Double($0["dur"] as? Int ?? 0) / 1000)
        }
        #expect(slices.count == blocks.count)
        usleep(300_000)  // the fixture records a block when its loop runs again
        let measured = try String(contentsOfFile: blocksFile, encoding: .utf8).split(separator: "\n").compactMap { line -> Measured? in
            guard let object = try? Self.json(String(line)), let start = object["startMicroseconds"] as? Int,
                  let milliseconds = object["milliseconds"] as? Double else { return nil }
            return Measured(start: Double(start) / 1000, milliseconds: milliseconds)
        }
        let inside = measured.filter { $0.start > windowStart + 5 && $0.start + $0.milliseconds < windowEnd - 5 }
        #expect(inside.count >= 3, "the fixture measured \(measured), the window was \(windowStart)–\(windowEnd)")
        // On a loaded machine two blocks can run back to back without the loop idling in
        // between; diag then reports them as one, and that pair is not compared.
        var comparisons: [String] = []
        for own in inside {
            guard let match = slices.first(where: { abs($0.start - own.start) <= 30 }) else { continue }
            let tolerance = max(20, own.milliseconds * 0.2)
            #expect(abs(match.milliseconds - own.milliseconds) <= tolerance, "diag \(match.milliseconds) ms, the fixture \(own.milliseconds) ms")
            comparisons.append("\(String(format: "%.1f", match.milliseconds))/\(String(format: "%.1f", own.milliseconds))")
        }
        #expect(comparisons.count >= 3 && Double(comparisons.count) >= 0.75 * Double(inside.count),
                "matched \(comparisons) of the fixture's \(inside) with \(slices)")
        // Every block diag reports overlaps one the fixture measured.
        for slice in slices {
            #expect(measured.contains { $0.start < slice.start + slice.milliseconds && $0.start + $0.milliseconds > slice.start },
                    "block at \(slice.start) (\(slice.milliseconds) ms) not measured by the fixture: \(measured)")
        }
        print("diag loop \(expected.kind): diag/fixture ms \(comparisons.joined(separator: " "))")
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 })
        try Self.expectNothingLeftIn(fixture.pid)
    }

    /// After diag loop the target has no loop agent read function left, and runs no
    /// loop-delay histogram timer of diag's.
    static func expectNothingLeftIn(_ pid: Int32) throws {
        let left = try NodeChannel.withChannel(pid: pid, purpose: "test") { channel in
            try channel.evaluate("Object.getOwnPropertySymbols(globalThis).map(String).filter((s) => s.includes('diag.loop')).length")
        }
        #expect(left as? Int == 0)
    }

    /// A pool held by I/O that never completes. (Not the CPU-bound pool fixture: on a small
    /// shared machine, four busy workers starve the main thread for 100 ms and more at times,
    /// and then the loop really is blocked.)
    @Test func aSaturatedThreadpoolWithAFreeLoop() throws {
        let directory = try FixturePaths.temporaryDirectory("loop-stuck")
        let fifo = "\(directory)/never-written"
        try #require(mkfifo(fifo, 0o600) == 0, "mkfifo \(fifo): errno \(errno)")
        let fixture = try Self.startFixture("stuck", environment: ["STUCK_FIFO": fifo])
        defer { fixture.stop() }
        let result = try Command.diag(["loop", String(fixture.pid), "--duration", "3s", "--json"])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        // The loop stays free. A wait for a CPU that falls inside the fixture's own (tiny)
        // callbacks is charged to them: one short block is allowed on a loaded machine.
        let blocks = report["blocks"] as? [[String: Any]] ?? []
        #expect(blocks.count <= 1 && blocks.allSatisfy { ($0["durationMilliseconds"] as? Double ?? 0) < 150 }, "\(blocks)")
        let pool = try #require(report["threadpool"] as? [String: Any], "\(report)")
        #expect(pool["threads"] as? Int == 4)
        #expect((pool["busyFraction"] as? Double ?? 0) >= 0.95, "\(pool)")
        #expect(pool["saturated"] as? Bool == true)
        // libuv's own queue: 16 opens for 4 workers that never finish one, so exactly 12 wait.
        let queue = try #require(pool["queueLength"] as? [String: Any], "\(pool)")
        #expect(queue["max"] as? Int == 12, "\(queue)")
        #expect(queue["average"] as? Double == 12, "\(queue)")
        #expect(queue["averageBusyThreads"] as? Double == 4, "\(queue)")
    }

    @Test func aQuietServiceHasNoBlocksAndLittleLag() throws {
        let fixture = try Self.startFixture("quiet")
        defer { fixture.stop() }
        let result = try Command.diag(["loop", String(fixture.pid), "--duration", "2s", "--json"])
        try #require(result.status == 0, "\(result.standardError)")
        let report = try Self.json(result.standardOutput)
        #expect((report["blocks"] as? [Any])?.isEmpty == true, "\(report)")
        let lag = report["lagMilliseconds"] as? [String: Any] ?? [:]
        #expect((lag["p99"] as? Double ?? 99) < 20, "\(lag)")
        #expect((report["utilization"] as? Double ?? 1) < 0.1, "\(report)")
        #expect(((report["threadpool"] as? [String: Any])?["busyFraction"] as? Double ?? 1) <= 0.05)
    }

    @Test func aProcessThatIsNotNodeExitsWith4() throws {
        let other = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 60"])
        defer { other.stop() }
        let result = try Command.diag(["loop", String(other.pid), "--duration", "1s"])
        #expect(result.status == 4)
        #expect(result.standardError.contains("is not a Node.js process"))
    }
}
