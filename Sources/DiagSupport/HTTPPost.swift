import Glibc

/// A plain-HTTP/1.1 POST client: one request per connection (`Connection: close`), for
/// sending a profile to a collector. `https` is refused: diag links no TLS library (send
/// through a local agent or proxy instead).
public enum HTTPPost {
    /// Where to send: `http://HOST[:PORT][/PATH]`, HOST a name, an IPv4 address or `[IPv6]`.
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: UInt16
        /// The path prefix, without a trailing slash ("" for the root).
        public var basePath: String

        /// Parses `text`; throws a readable error for https and anything that is not an http URL.
        public init(parsing text: String) throws {
            if text.lowercased().hasPrefix("https://") {
                throw DiagError(.failure, "--push \(text): https is not supported; use a local agent/proxy",
                                hint: "run a collector (Grafana Alloy, an nginx proxy) on this host and push to http://127.0.0.1:PORT")
            }
            guard text.lowercased().hasPrefix("http://") else {
                throw DiagError(.failure, "--push \(text) is not an http:// URL", hint: "for example --push http://127.0.0.1:4040")
            }
            let rest = text.dropFirst("http://".count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            var path = String(rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" })
            while path.hasSuffix("/") { path.removeLast() }
            var hostPart = Substring(authority), portPart: Substring?
            if authority.contains("@") { throw DiagError(.failure, "--push \(text): user names in the URL are not supported") }
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { throw DiagError(.failure, "--push \(text): unclosed [ in the host") }
                hostPart = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty {
                    throw DiagError(.failure, "--push \(text): unexpected text after the host")
                }
            } else if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            }
            guard !hostPart.isEmpty else { throw DiagError(.failure, "--push \(text) names no host") }
            var port: UInt16 = 80
            if let portPart {
                guard let value = UInt16(portPart), value > 0 else { throw DiagError(.failure, "--push \(text): bad port \(portPart)") }
                port = value
            }
            host = String(hostPart)
            self.port = port
            basePath = path
        }

        /// The Host header's value.
        var hostHeader: String {
            let name = host.contains(":") ? "[\(host)]" : host
            return port == 80 ? name : "\(name):\(port)"
        }
    }

    /// A response: status code and body (at most 1 MB kept).
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// POSTs `body` to `pathAndQuery` (starting with `/`, appended to the endpoint's path),
    /// giving up after `timeout` seconds in all. A connection that fails or breaks throws.
    public static func send(_ endpoint: Endpoint, pathAndQuery: String, contentType: String, body: [UInt8],
                            timeout: Double = 30) throws -> Response {
        let deadline = MonotonicClock.seconds() + timeout
        let fd = try connect(endpoint, deadline: deadline)
        defer { close(fd) }
        let head = "POST \(endpoint.basePath)\(pathAndQuery) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\n"
            + "User-Agent: diag\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try write(fd, Array(head.utf8) + body, deadline: deadline)
        return try readResponse(fd, deadline: deadline)
    }

    /// Resolves the host (names through getaddrinfo) and connects to the first address that answers.
    private static func connect(_ endpoint: Endpoint, deadline: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            throw DiagError(.failure, "cannot resolve \(endpoint.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { lastError = errno; continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            var code = errno
            if code == EINPROGRESS {
                if wait(fd, events: Int16(POLLOUT), deadline: deadline) {
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                    if code == 0 { return fd }
                } else {
                    code = ETIMEDOUT
                }
            }
            lastError = code
            close(fd)
        }
        throw DiagError(.failure, "cannot connect to \(endpoint.hostHeader): \(String(cString: strerror(lastError)))")
    }

    private static func wait(_ fd: Int32, events: Int16, deadline: Double) -> Bool {
        while true {
            let remaining = deadline - MonotonicClock.seconds()
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) {
                guard wait(fd, events: Int16(POLLOUT), deadline: deadline) else { throw DiagError(.failure, "timed out sending the request") }
                continue
            }
            throw DiagError(.failure, "the connection broke while sending: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads until the server closes the connection, or the body named by Content-Length is complete.
    private static func readResponse(_ fd: Int32, deadline: Double) throws -> Response {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            if let response = complete(data) { return response }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data.append(contentsOf: chunk[0..<count])
                if data.count > 1 << 20, let response = complete(data, atEnd: true) { return response }
                continue
            }
            if count == 0 {
                guard let response = complete(data, atEnd: true) else { throw DiagError(.failure, "the server closed the connection without an HTTP answer") }
                return response
            }
            if errno == EAGAIN || errno == EINTR {
                guard wait(fd, events: Int16(POLLIN), deadline: deadline) else { throw DiagError(.failure, "timed out waiting for the server's answer") }
                continue
            }
            throw DiagError(.failure, "the connection broke while reading the answer: \(String(cString: strerror(errno)))")
        }
    }

    /// The response once its headers and (by Content-Length, or at the end of the stream) body are in.
    private static func complete(_ data: [UInt8], atEnd: Bool = false) -> Response? {
        guard data.count >= 4,
              let end = (0...(data.count - 4)).first(where: { data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10 })
        else { return nil }
        let lines = String(decoding: data[..<end], as: UTF8.self).split(separator: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return nil }
        let body = Array(data[(end + 4)...].prefix(1 << 20))
        let length = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int(String($0.dropFirst("content-length:".count)).trimmingWhitespace()) }
        if let length, body.count >= length { return Response(status: status, body: Array(body.prefix(length))) }
        return atEnd ? Response(status: status, body: body) : nil
    }
}
