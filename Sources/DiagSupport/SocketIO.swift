import Glibc

/// Deadline-bounded I/O on a non-blocking stream socket, shared by diag's HTTP clients and
/// the inspector's WebSocket. `peer` names the other end in error messages ("the inspector").
public enum SocketIO {
    /// Connects `fd` (non-blocking) to `address`, waiting for the handshake until `deadline`.
    /// Returns 0, or the errno of the failure (ETIMEDOUT when the deadline passed).
    public static func connect(_ fd: Int32, to address: UnsafePointer<sockaddr>, length: socklen_t, until deadline: Double) -> Int32 {
        if Glibc.connect(fd, address, length) == 0 { return 0 }
        guard errno == EINPROGRESS else { return errno }
        guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return ETIMEDOUT }
        var code: Int32 = 0
        var codeLength = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &codeLength)
        return code
    }

    /// Waits until `fd` is ready for `events`; false when the deadline passes first or poll fails.
    public static func wait(_ fd: Int32, for events: Int16, until deadline: Double) -> Bool {
        while true {
            let remaining = deadline - MonotonicClock.seconds()
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    /// Sends all of `bytes` (never raising SIGPIPE).
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8], until deadline: Double, peer: String) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else { throw DiagError(.failure, "timed out sending to \(peer)") }
                continue
            }
            throw DiagError.system("cannot send to \(peer)", errno: errno)
        }
    }

    /// Reads until the peer closes the connection or `isComplete` says the data read so far is
    /// a whole message. More than `limit` bytes throws.
    public static func receive(_ fd: Int32, until deadline: Double, limit: Int, peer: String,
                               isComplete: ([UInt8]) -> Bool) throws -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while !isComplete(data) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
                if data.count > limit { throw DiagError(.failure, "the answer of \(peer) is too large") }
                continue
            }
            if count == 0 { break }
            if errno == EAGAIN || errno == EINTR {
                guard wait(fd, for: Int16(POLLIN), until: deadline) else { throw DiagError(.failure, "timed out waiting for the answer of \(peer)") }
                continue
            }
            throw DiagError.system("cannot read from \(peer)", errno: errno)
        }
        return data
    }
}
