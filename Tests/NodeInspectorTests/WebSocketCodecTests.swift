import Foundation
import Testing
@testable import NodeInspector

@Suite struct WebSocketCodecTests {
    @Test func sha1KnownVectors() {
        func hex(_ text: String) -> String { SHA1.digest(Array(text.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(String(repeating: "a", count: 1000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test func handshakeAcceptFromTheRFC() throws {
        // RFC 6455 §1.3.
        #expect(WebSocketHandshake.expectedAccept(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let handshake = WebSocketHandshake(host: "127.0.0.1:9229", path: "/abc", key: "dGhlIHNhbXBsZSBub25jZQ==")
        try handshake.validate(responseHead: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(throws: WebSocketError.self) {
            try handshake.validate(responseHead: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong=")
        }
        #expect(throws: WebSocketError.handshakeFailed("the inspector answered 400 Bad Request")) {
            try handshake.validate(responseHead: "HTTP/1.0 400 Bad Request\r\nContent-Type: text/html")
        }
        #expect(String(decoding: handshake.request, as: UTF8.self).hasPrefix("GET /abc HTTP/1.1\r\nHost: 127.0.0.1:9229\r\n"))
    }

    @Test func frameLengthsRoundTrip() throws {
        for length in [0, 125, 126, 65535, 65536, 200_000] {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let key: [UInt8] = [1, 2, 3, 4]
            let frame = WebSocketFrameHeader.encodeFrame(opcode: .text, payload: payload, maskKey: key)
            let header = try #require(try frame.withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 1 << 20) })
            #expect(header.payloadLength == length && header.isFinal && header.opcode == .text && header.maskKey == key)
            #expect(header.headerLength == (length < 126 ? 6 : length <= 65535 ? 8 : 14))
            let unmasked = frame[header.headerLength...].enumerated().map { $0.element ^ key[$0.offset & 3] }
            #expect(unmasked == payload)
        }
    }

    @Test func partialAndHostileHeaders() throws {
        let frame = WebSocketFrameHeader.encodeFrame(opcode: .binary, payload: Array(repeating: 9, count: 70000), maskKey: nil)
        for cut in [0, 1, 5, 9] {
            #expect(try Array(frame.prefix(cut)).withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 1 << 20) } == nil)
        }
        #expect(throws: WebSocketError.self) { try frame.withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 1000) } }
        #expect(throws: WebSocketError.self) { try ([UInt8]([0xF1, 0x00])).withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 10) } }
        #expect(throws: WebSocketError.self) { try ([UInt8]([0x89, 0x7E, 0x00, 0x80])).withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 1000) } }
        #expect(throws: WebSocketError.self) { try ([UInt8]([0x83, 0x00])).withUnsafeBytes { try WebSocketFrameHeader.parse($0, maximumPayload: 10) } }
    }
}
