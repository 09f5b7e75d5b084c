import EventLoop
import Foundation
import Profiles
import Testing

/// Block detection on small hand-made profiles, where every time is exact.
@Suite struct BlockDetectorTests {
    /// (root) → (idle); (root) → handler (app.js:10) → parse (builtin); (root) → handler → helper
    /// (app.js:20); (root) → (garbage collector); (root) → readFileSync (node:fs) → read;
    /// (root) → (program); (root) → handler → RegExp: ^(a+)+$ (a regular expression's code).
    static func profile(samples: [Int], deltas: [Int64]) -> CPUProfile {
        func frame(_ name: String, _ url: String = "", _ line: Int = -1) -> CPUProfile.CallFrame {
            CPUProfile.CallFrame(functionName: name, url: url, lineNumber: line)
        }
        let nodes = [
            CPUProfile.Node(id: 1, callFrame: frame("(root)"), children: [2, 3, 6, 7, 9]),
            CPUProfile.Node(id: 2, callFrame: frame("(idle)")),
            CPUProfile.Node(id: 3, callFrame: frame("handler", "file:///srv/app.js", 9), children: [4, 5, 10],
                            positionTicks: [.init(line: 12, ticks: 3)]),
            CPUProfile.Node(id: 4, callFrame: frame("parse")),
            CPUProfile.Node(id: 5, callFrame: frame("helper", "file:///srv/app.js", 19),
                            positionTicks: [.init(line: 21, ticks: 5)]),
            CPUProfile.Node(id: 6, callFrame: frame("(garbage collector)")),
            CPUProfile.Node(id: 7, callFrame: frame("readFileSync", "node:fs", 440), children: [8]),
            CPUProfile.Node(id: 8, callFrame: frame("read")),
            CPUProfile.Node(id: 9, callFrame: frame("(program)")),
            CPUProfile.Node(id: 10, callFrame: frame("RegExp: ^(a+)+$")),
        ]
        let end = 1_000_000 + deltas.reduce(0, +)
        return CPUProfile(nodes: nodes, startTime: 1_000_000, endTime: end, samples: samples, timeDeltas: deltas)
    }

    static let lines = ["file:///srv/app.js": [12: "  const value = JSON.parse(text);", 21: "  return /^(a+)+$/.test(input);"]]
    static func sourceLine(_ url: String, _ line: Int) -> String? { lines[url]?[line] }

    @Test func stretchStartsAtTheLastIdleSampleAndEndsAtTheLastBusyOne() {
        // idle at 1 ms, 2 ms; busy (handler self) at 3..62 ms; idle at 63 ms.
        let samples = [2, 2] + Array(repeating: 3, count: 60) + [2]
        let deltas = [Int64](repeating: 1000, count: 63)
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: deltas), sourceLine: Self.sourceLine)
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.count == 1)
        let block = blocks[0]
        #expect(block.startMilliseconds == 2)
        #expect(block.durationMilliseconds == 60)
        #expect(block.function == "handler")
        #expect(block.url == "file:///srv/app.js")
        #expect(block.line == 10)
        // handler's hot line 12 calls JSON.parse.
        #expect(block.kind == .json)
        #expect(block.stack == [LoopBlock.Frame(function: "handler", url: "file:///srv/app.js", line: 10)])
    }

    @Test func utilizationIsTheBusyShareOfTheProfilesTime() {
        let samples = [2, 2] + Array(repeating: 3, count: 60) + [2]
        let detector = BlockDetector(profile: Self.profile(samples: samples, deltas: [15_000] + [Int64](repeating: 1000, count: 62)))
        #expect(detector.utilization == 60.0 / 62.0)
    }

    @Test func shorterStretchesThanTheThresholdAreNoBlocks() {
        let samples = [2] + Array(repeating: 3, count: 40) + [2] + Array(repeating: 5, count: 30) + [2]
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: [Int64](repeating: 1000, count: samples.count)))
        #expect(detector.blocks(thresholdMicroseconds: 50_000).isEmpty)
        #expect(detector.blocks(thresholdMicroseconds: 30_000).map(\.durationMilliseconds) == [40, 30])
    }

    @Test func aSystemCallIsOneSampleWithALongDelta() {
        // The main thread sits in read() for 80 ms: no sample until it returns.
        let samples = [2, 2, 8, 2]
        let deltas: [Int64] = [1000, 1000, 80_000, 1000]
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: deltas))
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.count == 1)
        #expect(blocks.first?.durationMilliseconds == 80)
        #expect(blocks.first?.kind == .syncFS)
        #expect(blocks.first?.function == "readFileSync")
        #expect(blocks.first?.line == 441)
        #expect(blocks.first?.stack.map(\.function) == ["read", "readFileSync"])
    }

    @Test func theFunctionWithMostOfTheTimeHoldsTheBlockAndNamesItsKind() {
        // handler → helper (regexp line) for 40 ms, garbage collection 15 ms, handler self 10 ms.
        let samples = [2] + Array(repeating: 5, count: 40) + Array(repeating: 6, count: 15) + Array(repeating: 3, count: 10) + [2]
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: [Int64](repeating: 1000, count: samples.count)),
                                     sourceLine: Self.sourceLine)
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.count == 1)
        #expect(blocks.first?.durationMilliseconds == 65)
        #expect(blocks.first?.function == "helper")
        #expect(blocks.first?.line == 20)
        #expect(blocks.first?.kind == .regexp)
        #expect(blocks.first?.stack.map(\.function) == ["helper", "handler"])
    }

    @Test func garbageCollectionAndNativeWorkHaveTheirOwnKinds() {
        let gc = [2] + Array(repeating: 6, count: 60) + [2] + Array(repeating: 9, count: 55) + [2]
        var detector = BlockDetector(profile: Self.profile(samples: gc, deltas: [Int64](repeating: 1000, count: gc.count)))
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.map(\.kind) == [.gc, .native])
        #expect(blocks.map(\.function) == ["(garbage collector)", "(program)"])
        #expect(blocks.map(\.line) == [nil, nil])
        #expect(blocks.map(\.startMilliseconds) == [1, 62])
    }

    @Test func aProfileThatStartsBusyCountsFromItsFirstSample() {
        // The first delta runs from the profiler's start, not from an earlier sample.
        let samples = Array(repeating: 3, count: 60) + [2]
        let deltas: [Int64] = [15_000] + [Int64](repeating: 1000, count: 60)
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: deltas))
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.map(\.durationMilliseconds) == [59])
        #expect(blocks.map(\.startMilliseconds) == [15])
        #expect(blocks.first?.kind == .js)
    }

    @Test func aRegularExpressionsOwnCodeIsARegExpBlockOfItsCaller() {
        // V8 names regexp code compiled while the profiler runs "RegExp: SOURCE", with no script.
        let samples = [2] + Array(repeating: 10, count: 60) + [2]
        var detector = BlockDetector(profile: Self.profile(samples: samples, deltas: [Int64](repeating: 1000, count: 62)))
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        #expect(blocks.map(\.kind) == [.regexp])
        #expect(blocks.map(\.function) == ["handler"])
        #expect(blocks.map(\.line) == [10])
    }

    @Test func sourceLinesNameRegExpAndJSONWork() {
        #expect(LoopBlockKind.classify(sourceLine: "return /^(a+)+$/.test(s);") == .regexp)
        #expect(LoopBlockKind.classify(sourceLine: "const m = text.match(pattern);") == .regexp)
        #expect(LoopBlockKind.classify(sourceLine: "s.replace(/x+y/g, '')") == .regexp)
        #expect(LoopBlockKind.classify(sourceLine: "return JSON.parse(body).length;") == .json)
        #expect(LoopBlockKind.classify(sourceLine: "res.end(JSON.stringify(rows));") == .json)
        #expect(LoopBlockKind.classify(sourceLine: "for (let i = 0; i < n; i++) sum += i;") == nil)
    }
}

extension BlockDetectorTests {
    @Test func aWindowKeepsOnlyItsSamples() {
        // Busy before the window (diag installing its agent), idle inside, busy after.
        let samples = Array(repeating: 3, count: 60) + Array(repeating: 2, count: 100) + Array(repeating: 9, count: 60)
        let profile = Self.profile(samples: samples, deltas: [Int64](repeating: 1000, count: samples.count))
        var detector = BlockDetector(profile: profile.trimmed(from: 1_060_000, to: 1_160_000))
        #expect(detector.blocks(thresholdMicroseconds: 50_000).isEmpty)
        #expect(detector.profile.startTime == 1_060_000)
        #expect(detector.profile.samples.count == 100)
        #expect(detector.utilization == 0)
    }
}
