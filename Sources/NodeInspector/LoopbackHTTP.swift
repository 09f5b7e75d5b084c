import DiagSupport
import Glibc

/// A minimal HTTP/1.1 GET client for the V8 inspector's discovery endpoints
/// (`/json/version`, `/json/list`). It only ever connects to loopback addresses.
public enum LoopbackHTTP {
    /// A response: status code and body.
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// GETs `path` from `127.0.0.1:port` (or `[::1]:port` with `ipv6`), giving up after
    /// `timeout` seconds in all. Bodies over 4 MB are refused.
    public static func get(port: UInt16, path: String, ipv6: Bool = false, timeout: Double = 2) throws -> Response {
        let deadline = MonotonicClock.seconds() + timeout
        let fd = try connectLoopback(port: port, ipv6: ipv6, deadline: deadline)
        defer { close(fd) }
        let host = ipv6 ? "[::1]:\(port)" : "127.0.0.1:\(port)"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
        try sendAll(fd, Array(request.utf8), deadline: deadline)
        let raw = try receiveAll(fd, deadline: deadline, limit: 4 << 20)
        return try parse(raw)
    }

    static func connectLoopback(port: UInt16, ipv6: Bool, deadline: Double) throws -> Int32 {
        let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw DiagError.system("cannot create a socket", errno: errno) }
        var result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_loopback
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        let connectErrno = errno
        OwnInspectorConnections.register(socket: fd)
        if result != 0 && connectErrno != EINPROGRESS {
            let code = connectErrno
            close(fd)
            throw DiagError.system("cannot connect to port \(port)", errno: code)
        }
        if result != 0 {
            guard waitFor(fd, events: Int16(POLLOUT), deadline: deadline) else {
                close(fd)
                throw DiagError(.failure, "timed out connecting to port \(port)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 {
                close(fd)
                throw DiagError.system("cannot connect to port \(port)", errno: error)
            }
        }
        return fd
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    static func waitFor(_ fd: Int32, events: Int16, deadline: Double) -> Bool {
        while true {
            let remaining = deadline - MonotonicClock.seconds()
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                guard waitFor(fd, events: Int16(POLLOUT), deadline: deadline) else {
                    throw DiagError(.failure, "timed out sending to the inspector")
                }
                continue
            }
            throw DiagError.system("cannot send to the inspector", errno: errno)
        }
    }

    /// Reads until the peer closes or, when the headers give a Content-Length, until the
    /// body is complete (the inspector keeps the connection open).
    static func receiveAll(_ fd: Int32, deadline: Double, limit: Int) throws -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            if let expected = expectedLength(data), data.count >= expected { return data }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
                if data.count > limit { throw DiagError(.failure, "the inspector's answer is too large") }
                continue
            }
            if count == 0 { return data }
            if errno == EAGAIN || errno == EINTR {
                guard waitFor(fd, events: Int16(POLLIN), deadline: deadline) else {
                    throw DiagError(.failure, "timed out waiting for the inspector's answer")
                }
                continue
            }
            throw DiagError.system("cannot read from the inspector", errno: errno)
        }
    }

    /// Headers plus Content-Length, once the headers are complete and name a length.
    static func expectedLength(_ data: [UInt8]) -> Int? {
        guard let headerEnd = headerEnd(data) else { return nil }
        let head = String(decoding: data[..<headerEnd], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            if let length = Int(String(line.dropFirst("content-length:".count)).trimmingWhitespace()) {
                return headerEnd + 4 + length
            }
        }
        return nil
    }

    static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        guard let headerEnd = headerEnd(raw) else {
            throw DiagError(.failure, "not an HTTP answer")
        }
        let head = String(decoding: raw[..<headerEnd], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw DiagError(.failure, "not an HTTP answer")
        }
        return Response(status: status, body: Array(raw[(headerEnd + 4)...]))
    }
}
