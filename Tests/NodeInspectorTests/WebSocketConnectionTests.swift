import Foundation
import Testing
@testable import NodeInspector

/// The client against a scripted loopback server: the handshake, control frames between
/// fragments, all three length encodings, masking, and the closing handshake.
@Suite struct WebSocketConnectionTests {
    @Test func fragmentsPingsLengthsMaskingAndClose() throws {
        let server = try ScriptedServer()
        let big = (0..<(1 << 17)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let medium = Array(repeating: UInt8(ascii: "m"), count: 70_000)
        server.run { peer in
            try peer.handshake()
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .text, payload: Array("frag".utf8), maskKey: nil, isFinal: false))
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .ping, payload: [7, 7], maskKey: nil))
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .continuation, payload: Array("mented".utf8), maskKey: nil))
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .binary, payload: medium, maskKey: nil))
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .text, payload: big, maskKey: nil))
            let pong = try peer.readFrame()
            let hello = try peer.readFrame()
            try peer.send(WebSocketFrameHeader.encodeFrame(opcode: .close, payload: [0x03, 0xE8], maskKey: nil))
            return [pong, hello]
        }
        let connection = try WebSocketConnection.connect(port: server.port, path: "/session", ipv6: false, namespaceOf: nil, timeout: 5)
        #expect(try connection.receive(timeout: 5) == Array("fragmented".utf8))
        #expect(try connection.receive(timeout: 5) == medium)
        #expect(try connection.receive(timeout: 5) == big)
        try connection.send(text: Array("hello".utf8))
        #expect(throws: WebSocketError.closed) { _ = try connection.receive(timeout: 5) }
        let received = try server.finish()
        #expect(received.count == 2)
        #expect(received.first?.opcode == .pong && received.first?.payload == [7, 7] && received.first?.wasMasked == true)
        #expect(received.last?.opcode == .text && received.last?.payload == Array("hello".utf8) && received.last?.wasMasked == true)
    }

    @Test func wrongAcceptIsRefused() throws {
        let server = try ScriptedServer()
        server.run { peer in
            _ = try peer.readRequest()
            try peer.send(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\n\r\n".utf8))
            return []
        }
        #expect(throws: WebSocketError.self) {
            _ = try WebSocketConnection.connect(port: server.port, path: "/", ipv6: false, namespaceOf: nil, timeout: 5)
        }
        _ = try server.finish()
    }
}

/// A one-connection TCP server on 127.0.0.1 that runs a script on a background thread.
final class ScriptedServer: @unchecked Sendable {
    struct Frame { let opcode: WebSocketOpcode; let payload: [UInt8]; let wasMasked: Bool }
    struct Failure: Error {}

    let port: UInt16
    private let listener: Int32
    private var result: Result<[Frame], Error> = .success([])
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 1) == 0 else { throw Failure() }
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Accepts one connection and runs `script` on it, in the background.
    func run(_ script: @escaping @Sendable (Peer) throws -> [Frame]) {
        Thread.detachNewThread { [self] in
            let fd = accept(listener, nil, nil)
            do { result = .success(try script(Peer(fd: fd))) } catch { result = .failure(error) }
            close(fd)
            done.signal()
        }
    }

    /// Waits for the script and returns the frames it read.
    func finish() throws -> [Frame] {
        done.wait()
        close(listener)
        return try result.get()
    }

    /// The server's end of the connection.
    struct Peer {
        let fd: Int32

        func send(_ bytes: [UInt8]) throws {
            guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { throw Failure() }
        }

        func read(_ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
                guard n > 0 else { throw Failure() }
                got += n
            }
            return bytes
        }

        func readRequest() throws -> String {
            var text: [UInt8] = []
            while !text.suffix(4).elementsEqual([13, 10, 13, 10]) { text += try read(1) }
            return String(decoding: text, as: UTF8.self)
        }

        func handshake() throws {
            let request = try readRequest()
            let keyLine = request.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") } ?? ""
            let key = keyLine.dropFirst("sec-websocket-key:".count).trimmingCharacters(in: .whitespaces)
            try send(Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(WebSocketHandshake.expectedAccept(for: key))\r\n\r\n").utf8))
        }

        func readFrame() throws -> Frame {
            var head = try read(2)
            if head[1] & 0x7F == 126 { head += try read(2) } else if head[1] & 0x7F == 127 { head += try read(8) }
            if head[1] & 0x80 != 0 { head += try read(4) }
            guard let header = try head.withUnsafeBytes({ try WebSocketFrameHeader.parse($0, maximumPayload: 1 << 20) }) else { throw Failure() }
            var payload = try read(header.payloadLength)
            if let mask = header.maskKey { for index in payload.indices { payload[index] ^= mask[index & 3] } }
            return Frame(opcode: header.opcode, payload: payload, wasMasked: header.maskKey != nil)
        }
    }
}
