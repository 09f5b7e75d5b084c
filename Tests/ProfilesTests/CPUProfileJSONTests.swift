import Foundation
import Testing
@testable import Profiles

/// The hand-written .cpuprofile JSON against Foundation's: the same values, strings escaped
/// as JSON requires.
@Suite struct CPUProfileJSONTests {
    static let awkward = "quote \" backslash \\ slash / newline \n tab \t return \r bell \u{7} nul \u{0} é 🔥"

    static let profile = CPUProfile(
        nodes: [
            .init(id: 1, callFrame: .init(functionName: "(root)"), hitCount: 0, children: [2, 3]),
            .init(id: 2, callFrame: .init(functionName: awkward, scriptId: "17", url: "file:///srv/app \"x\".js", lineNumber: 4, columnNumber: 9),
                  hitCount: 3, positionTicks: [.init(line: 5, ticks: 2), .init(line: 7, ticks: 1)]),
            .init(id: 3, callFrame: .init(functionName: "deopt"), hitCount: 1, deoptReason: "wrong map \u{1f}"),
        ],
        startTime: 1_000, endTime: 9_000, samples: [2, 2, 3, 2], timeDeltas: [10, 20, -5, 1_000])

    @Test func decodesToTheSameProfile() throws {
        let decoded = try CPUProfile.decode(Self.profile.encodedJSON())
        #expect(decoded == Self.profile)
    }

    @Test func hasTheValuesFoundationsEncoderWrites() throws {
        let ours = try JSONSerialization.jsonObject(with: Self.profile.encodedJSON()) as? NSDictionary
        let foundation = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(Self.profile)) as? NSDictionary
        #expect(ours != nil && ours == foundation)
    }

    @Test func startsWithNodesAndEscapesControlCharacters() throws {
        let text = String(decoding: Self.profile.encodedJSON(), as: UTF8.self)
        #expect(text.hasPrefix("{\"nodes\":[{\"id\":1,"))
        #expect(text.contains(#"quote \" backslash \\ slash / newline \n tab \t return \r bell \u0007 nul \u0000 é 🔥"#))
        #expect(text.contains(#""deoptReason":"wrong map \u001f""#))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
    }
}
