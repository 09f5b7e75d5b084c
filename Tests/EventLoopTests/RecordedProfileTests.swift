import EventLoop
import Foundation
import Profiles
import TestSupport
import Testing

/// Block detection on real profiles: `diag cpu PID --rate 2000` of Tests/Fixtures/node/loop-blocker.js
/// blocking in each way, saved in Tests/Fixtures/loop with the blocks the fixture measured
/// itself (performance.now) from just before the profile started to its end.
@Suite struct RecordedProfileTests {
    struct Expected: Sendable {
        let name: String
        let function: String
        let line: Int
        let kind: LoopBlockKind
    }

    static let cases = [
        Expected(name: "regexp", function: "catastrophicRegExp", line: 22, kind: .regexp),
        Expected(name: "json", function: "parseBigJSON", line: 27, kind: .json),
        Expected(name: "crypto", function: "deriveKeySync", line: 31, kind: .crypto),
        Expected(name: "fs", function: "readBigFile", line: 36, kind: .syncFS),
        Expected(name: "js", function: "busyLoop", line: 40, kind: .js),
    ]

    static let script = "\(FixturePaths.fixtures)/node/loop-blocker.js"

    /// The fixture's own source for its lines (the profiles name it where it was recorded).
    static func sourceLine(_ url: String, _ line: Int) -> String? {
        guard url.hasSuffix("/loop-blocker.js"), let text = try? String(contentsOfFile: script, encoding: .utf8) else { return nil }
        let lines = text.components(separatedBy: "\n")
        return line >= 1 && line <= lines.count ? lines[line - 1] : nil
    }

    static func measured(_ name: String) throws -> [Double] {
        let text = try String(contentsOfFile: "\(FixturePaths.fixtures)/loop/\(name).blocks.jsonl", encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["milliseconds"] as? Double
        }
    }

    @Test(arguments: cases)
    func blocksHaveTheFixturesFunctionLineKindAndDuration(_ expected: Expected) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(FixturePaths.fixtures)/loop/\(expected.name).cpuprofile"))
        let profile = try CPUProfile.decode(data)
        var detector = BlockDetector(profile: profile, sourceLine: Self.sourceLine)
        let blocks = detector.blocks(thresholdMicroseconds: 50_000)
        let measured = try Self.measured(expected.name)
        // The fixture blocks every 400 ms: 4 or 5 whole blocks in the 2 s profile, plus those cut by its edges.
        #expect(blocks.count >= 4 && blocks.count <= 6, "\(blocks)")
        for block in blocks {
            #expect(block.function == expected.function)
            #expect(block.url.hasSuffix("/Tests/Fixtures/node/loop-blocker.js"))
            #expect(block.line == expected.line)
            #expect(block.kind == expected.kind)
            #expect(block.stack.contains { $0.function == expected.function && $0.line == expected.line })
        }
        // Blocks away from the profile's edges are as long as one the fixture measured: within 20 ms or 20 %.
        let window = Double(profile.endTime - profile.startTime) / 1000
        let whole = blocks.filter { $0.startMilliseconds > 5 && $0.startMilliseconds + $0.durationMilliseconds < window - 5 }
        #expect(whole.count >= 3)
        for block in whole {
            let closest = measured.min { abs($0 - block.durationMilliseconds) < abs($1 - block.durationMilliseconds) } ?? 0
            let tolerance = max(20, closest * 0.2)
            #expect(abs(block.durationMilliseconds - closest) <= tolerance,
                    "\(block.durationMilliseconds) ms vs the fixture's \(measured)")
        }
    }
}

extension RecordedProfileTests.Expected: CustomTestStringConvertible {
    var testDescription: String { name }
}
