import Foundation
import Glibc

/// The client-side ports of every TCP connection this diag process opened to an inspector
/// (HTTP probes and WebSockets), so that the inspector-window watch can tell diag's own
/// connections from anybody else's, even ones that were already closed again.
package enum OwnInspectorConnections {
    nonisolated(unsafe) private static var ports = Set<UInt16>()
    private static let lock = NSLock()

    /// Records the local port of the socket `fd` (connected or connecting).
    static func register(socket fd: Int32) {
        guard let port = localPort(of: fd) else { return }
        lock.withLock { _ = ports.insert(port) }
    }

    /// True when diag itself opened a connection from `port`.
    package static func contains(_ port: UInt16) -> Bool {
        lock.withLock { ports.contains(port) }
    }

    /// The local (client-side) TCP port of `fd`.
    static func localPort(of fd: Int32) -> UInt16? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return withUnsafeBytes(of: &address) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
    }
}
