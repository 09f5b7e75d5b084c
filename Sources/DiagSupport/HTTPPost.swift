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

    /// POSTs `body` to `pathAndQuery` (starting with `/`, appended to the endpoint's path),
    /// giving up after `timeout` seconds in all. A connection that fails or breaks throws.
    public static func send(_ endpoint: Endpoint, pathAndQuery: String, contentType: String, body: [UInt8],
                            timeout: Double = 30) throws -> HTTPResponse {
        let deadline = MonotonicClock.seconds() + timeout
        let fd = try connect(endpoint, deadline: deadline)
        defer { close(fd) }
        let head = "POST \(endpoint.basePath)\(pathAndQuery) HTTP/1.1\r\nHost: \(endpoint.hostHeader)\r\n"
            + "User-Agent: diag\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let peer = "the server at \(endpoint.hostHeader)"
        try SocketIO.sendAll(fd, Array(head.utf8) + body, until: deadline, peer: peer)
        let raw = try SocketIO.receive(fd, until: deadline, limit: 4 << 20, peer: peer) { data in
            HTTPResponseHead(data)?.isComplete(data) ?? false
        }
        guard let response = HTTPResponseHead(raw) else { throw DiagError(.failure, "\(peer) closed the connection without an HTTP answer") }
        return HTTPResponse(status: response.status, body: response.body(of: raw))
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
            let code = SocketIO.connect(fd, to: info.pointee.ai_addr, length: info.pointee.ai_addrlen, until: deadline)
            if code == 0 { return fd }
            lastError = code
            close(fd)
        }
        throw DiagError(.failure, "cannot connect to \(endpoint.hostHeader): \(String(cString: strerror(lastError)))")
    }
}
