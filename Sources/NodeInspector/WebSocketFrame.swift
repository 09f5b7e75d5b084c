/// The frame opcodes of RFC 6455 §5.2 that the inspector client handles.
enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// The header of one WebSocket frame (RFC 6455 §5.2), parsed from the start of a buffer.
struct WebSocketFrameHeader: Equatable, Sendable {
    var isFinal: Bool
    var opcode: WebSocketOpcode
    var payloadLength: Int
    /// The masking key; servers must not mask, clients must.
    var maskKey: [UInt8]?
    /// Bytes the header takes before the payload: 2 to 14.
    var headerLength: Int

    /// Parses a header at the start of `bytes`; nil when more bytes are needed. Throws on
    /// reserved bits, unknown opcodes, malformed control frames or absurd lengths.
    static func parse(_ bytes: UnsafeRawBufferPointer, maximumPayload: Int) throws -> WebSocketFrameHeader? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0], second = bytes[1]
        guard first & 0x70 == 0 else { throw WebSocketError.protocolViolation("reserved bits set in a frame") }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw WebSocketError.protocolViolation("unknown frame opcode \(first & 0x0F)")
        }
        let isMasked = second & 0x80 != 0
        var length = UInt64(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = (2..<10).reduce(0) { $0 << 8 | UInt64(bytes[$1]) }
            offset = 10
        }
        let isFinal = first & 0x80 != 0
        if opcode.isControl && (length > 125 || !isFinal) {
            throw WebSocketError.protocolViolation("malformed control frame")
        }
        guard length <= UInt64(maximumPayload) else {
            throw WebSocketError.protocolViolation("a frame of \(length) bytes is larger than the limit of \(maximumPayload)")
        }
        var maskKey: [UInt8]?
        if isMasked {
            guard bytes.count >= offset + 4 else { return nil }
            maskKey = Array(bytes[offset..<(offset + 4)])
            offset += 4
        }
        return WebSocketFrameHeader(isFinal: isFinal, opcode: opcode, payloadLength: Int(length),
                                    maskKey: maskKey, headerLength: offset)
    }

    /// A complete frame: header and payload, masked with `maskKey` when given (clients must mask).
    static func encodeFrame(opcode: WebSocketOpcode, payload: [UInt8], maskKey: [UInt8]?, isFinal: Bool = true) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + 14)
        frame.append((isFinal ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(maskBit | 126)
            frame.append(UInt8(payload.count >> 8))
            frame.append(UInt8(payload.count & 0xFF))
        } else {
            frame.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: UInt64(payload.count) >> UInt64(shift))) }
        }
        guard let maskKey else {
            frame.append(contentsOf: payload)
            return frame
        }
        frame.append(contentsOf: maskKey)
        for (index, byte) in payload.enumerated() { frame.append(byte ^ maskKey[index & 3]) }
        return frame
    }
}

/// What can go wrong on a WebSocket, separate from DiagError so that the CDP layer can tell
/// "the inspector closed the connection" (expected after `process._debugEnd()`) from failures.
enum WebSocketError: Error, CustomStringConvertible, Equatable {
    /// The peer sent a close frame or the TCP connection ended.
    case closed
    /// The peer broke RFC 6455.
    case protocolViolation(String)
    /// The opening handshake did not produce a WebSocket.
    case handshakeFailed(String)

    var description: String {
        switch self {
        case .closed: "the inspector closed the connection"
        case .protocolViolation(let detail): "the inspector broke the WebSocket protocol: \(detail)"
        case .handshakeFailed(let detail): "cannot open a WebSocket to the inspector: \(detail)"
        }
    }
}
