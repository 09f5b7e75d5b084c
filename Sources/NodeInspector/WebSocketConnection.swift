import DiagSupport
import Glibc

/// A blocking RFC 6455 client connection to the V8 inspector, over a loopback TCP socket.
/// Messages are read one at a time from a buffer that only ever holds the frame being read,
/// so memory stays bounded by the largest single message (a heap snapshot arrives as many
/// ~100 kB messages). Pings are answered and a close frame ends the connection.
final class WebSocketConnection {
    /// Largest message accepted: a long CPU profile is tens of MB; anything near this is hostile.
    static let maximumMessage = 512 << 20

    private let descriptor: Int32
    private var storage: [UInt8] = Array(repeating: 0, count: 1 << 17)
    private var start = 0
    private var end = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?
    private(set) var isClosed = false
    private var generator = SystemRandomNumberGenerator()

    /// Connects to `127.0.0.1:port` (`[::1]` with `ipv6`), in the network namespace of
    /// `namespaceOf` when given, and performs the opening handshake for `path`.
    static func connect(port: UInt16, path: String, ipv6: Bool, namespaceOf pid: Int32?, timeout: Double) throws -> WebSocketConnection {
        let deadline = MonotonicClock.seconds() + timeout
        let descriptor = try pid.map { pid in
            try NetworkNamespace.withNamespace(of: pid) { try LoopbackHTTP.connectLoopback(port: port, ipv6: ipv6, deadline: deadline) }
        } ?? LoopbackHTTP.connectLoopback(port: port, ipv6: ipv6, deadline: deadline)
        let connection = WebSocketConnection(descriptor: descriptor)
        do {
            let host = ipv6 ? "[::1]:\(port)" : "127.0.0.1:\(port)"
            try connection.handshake(WebSocketHandshake(host: host, path: path), deadline: deadline)
        } catch {
            connection.abort()
            throw error
        }
        return connection
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        abort()
    }

    /// The local (client-side) TCP port, to tell diag's connection from other clients'.
    var localPort: UInt16? { OwnInspectorConnections.localPort(of: descriptor) }

    /// Sends one text message.
    func send(text: [UInt8]) throws {
        guard !isClosed else { throw WebSocketError.closed }
        try sendFrame(.text, payload: text)
    }

    /// The next complete data message, or nil when none arrived within `timeout` seconds
    /// (a partly received message is kept for the next call). Throws `WebSocketError.closed`
    /// once the peer has closed.
    func receive(timeout: Double) throws -> [UInt8]? {
        let deadline = MonotonicClock.seconds() + timeout
        while true {
            guard !isClosed else { throw WebSocketError.closed }
            if let message = try nextMessageFromBuffer() { return message }
            guard try fill(deadline: deadline) else { return nil }
        }
    }

    /// Sends a close frame (status 1000) and closes the socket without waiting for the answer.
    func close() {
        guard !isClosed else { return }
        try? sendFrame(.close, payload: [0x03, 0xE8])
        abort()
    }

    /// Closes the socket at once.
    func abort() {
        guard descriptor >= 0, !isClosedSocket else { return }
        isClosedSocket = true
        isClosed = true
        Glibc.close(descriptor)
    }

    private var isClosedSocket = false

    // MARK: Handshake

    private func handshake(_ handshake: WebSocketHandshake, deadline: Double) throws {
        try SocketIO.sendAll(descriptor, handshake.request, until: deadline, peer: "the inspector")
        let terminator: [UInt8] = [13, 10, 13, 10]
        while true {
            let buffered = storage[start..<end]
            if let headEnd = buffered.firstRange(of: terminator) {
                let head = String(decoding: storage[start..<headEnd.lowerBound], as: UTF8.self)
                start = headEnd.upperBound
                try handshake.validate(responseHead: head)
                return
            }
            guard end - start < 16384 else { throw WebSocketError.handshakeFailed("the answer's header is too long") }
            guard try fill(deadline: deadline) else { throw WebSocketError.handshakeFailed("timed out waiting for the answer") }
        }
    }

    // MARK: Frames

    /// Consumes frames from the buffer until a whole data message is there; nil if more bytes are needed.
    private func nextMessageFromBuffer() throws -> [UInt8]? {
        while true {
            let parsed = try storage.withUnsafeBytes { raw in
                try WebSocketFrameHeader.parse(UnsafeRawBufferPointer(rebasing: raw[start..<end]), maximumPayload: Self.maximumMessage)
            }
            guard let header = parsed, end - start >= header.headerLength + header.payloadLength else {
                if let parsed { reserve(parsed.headerLength + parsed.payloadLength) }
                return nil
            }
            let payloadStart = start + header.headerLength
            let payloadEnd = payloadStart + header.payloadLength
            if let mask = header.maskKey {
                for index in payloadStart..<payloadEnd { storage[index] ^= mask[(index - payloadStart) & 3] }
            }
            start = payloadEnd
            switch header.opcode {
            case .ping:
                try sendFrame(.pong, payload: Array(storage[payloadStart..<payloadEnd]))
            case .pong:
                break
            case .close:
                try? sendFrame(.close, payload: Array(storage[payloadStart..<min(payloadEnd, payloadStart + 2)]))
                abort()
                throw WebSocketError.closed
            case .text, .binary:
                guard fragmentOpcode == nil else { throw WebSocketError.protocolViolation("a new message began inside a fragmented one") }
                if header.isFinal { return Array(storage[payloadStart..<payloadEnd]) }
                fragmentOpcode = header.opcode
                fragments = Array(storage[payloadStart..<payloadEnd])
            case .continuation:
                guard fragmentOpcode != nil else { throw WebSocketError.protocolViolation("a continuation frame without a message") }
                guard fragments.count + header.payloadLength <= Self.maximumMessage else {
                    throw WebSocketError.protocolViolation("a message larger than \(Self.maximumMessage) bytes")
                }
                fragments.append(contentsOf: storage[payloadStart..<payloadEnd])
                if header.isFinal {
                    fragmentOpcode = nil
                    defer { fragments = [] }
                    return fragments
                }
            }
        }
    }

    /// Makes room for a frame of `size` bytes from `start`.
    private func reserve(_ size: Int) {
        if start > 0 && (storage.count - start < size || start > storage.count / 2) {
            storage.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if storage.count < size {
            storage.append(contentsOf: repeatElement(0, count: size - storage.count))
        }
    }

    /// Reads what the socket has into the buffer; false when nothing came before the deadline.
    private func fill(deadline: Double) throws -> Bool {
        if end == storage.count { reserve(storage.count * 2) }
        while true {
            let count = storage.withUnsafeMutableBytes { raw in recv(descriptor, raw.baseAddress! + end, raw.count - end, 0) }
            if count > 0 {
                end += count
                return true
            }
            if count == 0 {
                abort()
                throw WebSocketError.closed
            }
            switch errno {
            case EINTR:
                if StopRequest.isRequested { return false }
            case EAGAIN:
                if !SocketIO.wait(descriptor, for: Int16(POLLIN), until: deadline) { return false }
            case ECONNRESET:
                abort()
                throw WebSocketError.closed
            default:
                throw DiagError.system("cannot read from the inspector", errno: errno)
            }
        }
    }

    private func sendFrame(_ opcode: WebSocketOpcode, payload: [UInt8]) throws {
        let key = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let frame = WebSocketFrameHeader.encodeFrame(opcode: opcode, payload: payload, maskKey: key)
        let deadline = MonotonicClock.seconds() + 30
        var offset = 0
        while offset < frame.count {
            let sent = frame.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                guard SocketIO.wait(descriptor, for: Int16(POLLOUT), until: deadline) else {
                    throw DiagError(.failure, "timed out sending to the inspector")
                }
            case EPIPE, ECONNRESET:
                abort()
                throw WebSocketError.closed
            default:
                throw DiagError.system("cannot send to the inspector", errno: errno)
            }
        }
    }
}
