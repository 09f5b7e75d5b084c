import DiagSupport
import Glibc

/// The `/metrics` endpoint of `diag metrics --listen`, served from diag's own process: one
/// request per connection (`Connection: close`), answered on the caller's thread, so that the
/// single-threaded channel to the target is only used between two `pump` calls.
public final class MetricsHTTPServer {
    private let descriptor: Int32
    /// The port actually bound (useful with port 0).
    public let port: UInt16
    public let host: String

    /// Binds and listens on `host:port` (IPv4 dotted quad, `localhost`, or an IPv6 address).
    public init(host: String, port: UInt16) throws {
        guard let address = IPAddress(parsing: host == "localhost" ? "127.0.0.1" : host) else {
            throw DiagError(.failure, "--listen: \(host) is not an IP address", hint: "use HOST:PORT such as 127.0.0.1:9464 or [::1]:9464")
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DiagError.system("cannot create a socket", errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result = address.withSocketAddress(port: port) { bind(fd, $0, $1) }
        if result != 0 || listen(fd, 16) != 0 {
            let code = errno
            close(fd)
            if code == EADDRINUSE {
                throw DiagError(.failure, "--listen: \(host):\(port) is already in use", hint: "choose another port with --listen HOST:PORT")
            }
            throw DiagError.system("--listen: cannot listen on \(host):\(port)", errno: code)
        }
        var bound = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        // sin_port and sin6_port sit at the same offset.
        self.port = UInt16(bigEndian: bound.sin6_port)
        self.host = host
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// True when the host is a loopback address.
    public var isLoopback: Bool { host.hasPrefix("127.") || host == "::1" || host == "localhost" }

    /// True when a connection waits to be accepted.
    public var hasPendingConnection: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Accepts one connection, reads its request line, and answers it: GET or HEAD of /metrics
    /// with `metrics()`, anything else with 404 or 405. A client that sends nothing within two
    /// seconds is dropped.
    public func serveOne(metrics: () throws -> String) throws {
        let client = accept(descriptor, nil, nil)
        guard client >= 0 else { return }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        defer { close(client) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readHead(client) else { return }
        let parts = request.split(separator: " ")
        guard parts.count >= 2 else { return respond(client, status: "400 Bad Request", body: "bad request\n") }
        let method = parts[0], target = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard method == "GET" || method == "HEAD" else {
            return respond(client, status: "405 Method Not Allowed", body: "only GET and HEAD\n")
        }
        guard target == "/metrics" else { return respond(client, status: "404 Not Found", body: "diag serves /metrics\n") }
        let body: String
        do {
            body = try metrics()
        } catch {
            respond(client, status: "503 Service Unavailable", body: "\(error)\n")
            throw error
        }
        respond(client, status: "200 OK", body: body, contentType: PrometheusText.contentType, headOnly: method == "HEAD")
    }

    /// The request line, once the whole head (up to the blank line) arrived.
    private func readHead(_ client: Int32) -> String? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while received.count < 65536 {
            let count = read(client, &chunk, chunk.count)
            if count <= 0 { return nil }
            received += chunk[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            if text.contains("\r\n\r\n") || text.contains("\n\n") {
                return text.split(separator: "\n", maxSplits: 1).first.map { String($0).trimmingWhitespace() }
            }
        }
        return nil
    }

    private func respond(_ client: Int32, status: String, body: String, contentType: String = "text/plain; charset=utf-8",
                         headOnly: Bool = false) {
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        var message = Array(head.utf8)
        if !headOnly { message += bytes }
        // A scraper that stops reading is dropped (SO_SNDTIMEO and this deadline).
        try? SocketIO.sendAll(client, message, until: MonotonicClock.seconds() + 2, peer: "the scraper")
    }
}
