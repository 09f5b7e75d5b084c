import Glibc

/// An IPv4 or IPv6 address, and the socket address it makes with a port.
public enum IPAddress: Sendable {
    case v4(in_addr)
    case v6(in6_addr)

    /// 127.0.0.1, or ::1 with `ipv6`.
    public static func loopback(ipv6: Bool) -> IPAddress {
        ipv6 ? .v6(in6addr_loopback) : .v4(in_addr(s_addr: UInt32(0x7f00_0001).bigEndian))
    }

    /// A dotted quad or an IPv6 address in text; nil for anything else (names are not resolved).
    public init?(parsing text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { self = .v4(v4) } else if inet_pton(AF_INET6, text, &v6) == 1 { self = .v6(v6) } else { return nil }
    }

    /// AF_INET or AF_INET6.
    public var family: Int32 {
        switch self {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// Calls `body` with the socket address of this address and `port`, and its length.
    public func withSocketAddress<Result>(port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        switch self {
        case .v4(let address):
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = port.bigEndian
            socketAddress.sin_addr = address
            return try withUnsafePointer(to: &socketAddress) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let address):
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            socketAddress.sin6_addr = address
            return try withUnsafePointer(to: &socketAddress) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
