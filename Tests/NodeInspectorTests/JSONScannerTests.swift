import Testing
@testable import NodeInspector

@Suite struct JSONScannerTests {
    @Test func membersAreByteRanges() throws {
        let text = Array(#"{ "id" : 7, "method":"A.b", "params": {"chunk":"x\"}y", "n":[1,{"z":"]"}]}, "tail": null }"#.utf8)
        let members = try text.withUnsafeBytes { try JSONScanner.members($0) }
        #expect(members.map(\.key) == ["id", "method", "params", "tail"])
        #expect(String(decoding: text[members[0].value], as: UTF8.self) == "7")
        #expect(String(decoding: text[members[2].value], as: UTF8.self) == #"{"chunk":"x\"}y", "n":[1,{"z":"]"}]}"#)
        let inner = try text.withUnsafeBytes { try JSONScanner.members($0, in: members[2].value) }
        #expect(inner.map(\.key) == ["chunk", "n"])
        let message = try CDPMessage(bytes: text)
        #expect(message.id == 7 && message.method == "A.b" && message.params == members[2].value)
    }

    @Test func malformedTextThrows() {
        for bad in [#"{"a":1"#, #"{"a" 1}"#, #"[1]"#, #"{"a":"unterminated}"#, #"{"a":{"b":1}"#] {
            #expect(throws: JSONScanError.self) { try Array(bad.utf8).withUnsafeBytes { try JSONScanner.members($0) } }
        }
    }

    @Test func stringEscapes() throws {
        let text = Array(#"a\"b\\c\/d\n\t\u00e9\u20ac\ud83d\ude00"#.utf8)
        let decoded = try text.withUnsafeBytes { try JSONScanner.decodeString($0, 0..<$0.count) }
        #expect(decoded == "a\"b\\c/d\n\té€😀")
    }

    @Test func surrogatePairSplitAcrossPieces() throws {
        var decoder = JSONStringDecoder()
        var output: [UInt8] = []
        for piece in [#"x\ud83d"#, #"\ude00y"#] {
            try Array(piece.utf8).withUnsafeBytes { try decoder.decode($0, appendingTo: &output) }
        }
        decoder.finish(appendingTo: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x😀y")

        var lone = JSONStringDecoder()
        var loneOutput: [UInt8] = []
        try Array(#"a\ud83d"#.utf8).withUnsafeBytes { try lone.decode($0, appendingTo: &loneOutput) }
        lone.finish(appendingTo: &loneOutput)
        #expect(String(decoding: loneOutput, as: UTF8.self) == "a\u{FFFD}")
    }

    @Test func truncatedEscapeThrows() {
        var decoder = JSONStringDecoder()
        var output: [UInt8] = []
        #expect(throws: JSONScanError.self) { try Array(#"ab\u12"#.utf8).withUnsafeBytes { try decoder.decode($0, appendingTo: &output) } }
    }
}
