import DiagSupport
import Glibc

/// A minimal HTTP/1.1 GET client for the V8 inspector's discovery endpoints
/// (`/json/version`, `/json/list`). It only ever connects to loopback addresses.
public enum LoopbackHTTP {
    /// GETs `path` from `127.0.0.1:port` (or `[::1]:port` with `ipv6`), giving up after
    /// `timeout` seconds in all. Bodies over 4 MB are refused.
    public static func get(port: UInt16, path: String, ipv6: Bool = false, timeout: Double = 2) throws -> HTTPResponse {
        let deadline = MonotonicClock.seconds() + timeout
        let fd = try connectLoopback(port: port, ipv6: ipv6, deadline: deadline)
        defer { close(fd) }
        let host = ipv6 ? "[::1]:\(port)" : "127.0.0.1:\(port)"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
        try SocketIO.sendAll(fd, Array(request.utf8), until: deadline, peer: "the inspector")
        // Until the peer closes or the body named by Content-Length is in (the inspector keeps
        // the connection open).
        let raw = try SocketIO.receive(fd, until: deadline, limit: 4 << 20, peer: "the inspector") { data in
            HTTPResponseHead(data)?.isComplete(data) ?? false
        }
        return try parse(raw)
    }

    static func connectLoopback(port: UInt16, ipv6: Bool, deadline: Double) throws -> Int32 {
        let address = IPAddress.loopback(ipv6: ipv6)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw DiagError.system("cannot create a socket", errno: errno) }
        let code = address.withSocketAddress(port: port) { SocketIO.connect(fd, to: $0, length: $1, until: deadline) }
        guard code == 0 else {
            close(fd)
            if code == ETIMEDOUT { throw DiagError(.failure, "timed out connecting to port \(port)") }
            throw DiagError.system("cannot connect to port \(port)", errno: code)
        }
        OwnInspectorConnections.register(socket: fd)
        return fd
    }

    static func parse(_ raw: [UInt8]) throws -> HTTPResponse {
        guard let head = HTTPResponseHead(raw) else { throw DiagError(.failure, "not an HTTP answer") }
        return HTTPResponse(status: head.status, body: Array(raw[head.bodyOffset...]))
    }
}
