import DiagSupport
import Foundation
import Glibc
import NodeInspector

/// diag's end of the agent's Unix socket: newline-delimited JSON, with the server checked
/// before anything is sent. The socket's directory is opened through /proc/PID/root (so a
/// target in another mount namespace works) with O_PATH and checked to be a 0700 directory of
/// the target's user; the socket is then reached as /proc/self/fd/N/s, which keeps the path
/// far below sun_path's 108 bytes and cannot be redirected once the directory was checked.
/// SO_PEERCRED must name the target's pid.
final class AgentSocket: CDPTransport {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`, and how far it was searched for a newline.
    private var lineStart = 0
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 18)
    private(set) var isClosed = false

    /// Connects to the agent's socket `path` (as the target sees it) in process `pid` owned by `uid`.
    init(pid: Int32, uid: UInt32, directory: String, timeout: Double) throws {
        let directoryFD = open("/proc/\(pid)/root\(directory)", Self.openPathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directoryFD >= 0 else { throw DiagError.system("cannot open diag's directory \(directory) in process \(pid)", errno: errno) }
        defer { Glibc.close(directoryFD) }
        var status = stat()
        guard fstat(directoryFD, &status) == 0 else { throw DiagError.system("cannot check \(directory)", errno: errno) }
        guard status.st_uid == uid, status.st_mode & 0o077 == 0 else {
            throw DiagError(.failure, "diag's directory \(directory) in process \(pid) is not a private directory of uid \(uid); not using it")
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DiagError.system("cannot create a Unix socket", errno: errno) }
        do {
            try connectRetrying(to: "/proc/self/fd/\(directoryFD)/s", timeout: timeout)
            try checkPeer(pid: pid)
        } catch {
            close()
            throw error
        }
    }

    private func connectRetrying(to path: String, timeout: Double) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let deadline = MonotonicClock.seconds() + timeout
        while true {
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if result == 0 { return }
            let code = errno
            guard (code == ENOENT || code == ECONNREFUSED), MonotonicClock.seconds() < deadline else {
                throw DiagError.system("cannot connect to diag's agent socket", errno: code)
            }
            usleep(1000)
        }
    }

    /// SO_PEERCRED gives the pid that created the listening socket: it must be the target.
    private func checkPeer(pid: Int32) throws {
        var credentials = [Int32](repeating: 0, count: 3)
        var length = socklen_t(MemoryLayout<Int32>.size * 3)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
            throw DiagError.system("cannot check the agent socket's owner", errno: errno)
        }
        guard credentials[0] == pid else {
            throw DiagError(.failure, "the agent socket of \(pid) is served by process \(credentials[0]); not using it")
        }
    }

    /// Sends one message as a line (a newline is appended).
    func send(text: [UInt8]) throws {
        let bytes = text + [UInt8(ascii: "\n")]
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                isClosed = true
                throw ChannelBroken()
            }
            offset += written
        }
    }

    /// The next line, or nil when none arrived within `timeout` seconds. Each received byte
    /// is looked at once (`scanned`), so a line of many megabytes costs what its size does.
    func receive(timeout: Double) throws -> [UInt8]? {
        let deadline = MonotonicClock.seconds() + timeout
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[lineStart..<newline])
                lineStart = newline + 1
                scanned = lineStart
                if lineStart == buffer.count || lineStart > 1 << 20 {
                    buffer.removeSubrange(..<lineStart)
                    scanned -= lineStart
                    lineStart = 0
                }
                return line
            }
            scanned = buffer.count
            if isClosed { throw ChannelBroken() }
            let left = deadline - MonotonicClock.seconds()
            if left <= 0 { return nil }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, min(left, 1) * 1000)))
            if ready < 0 && errno != EINTR { throw ChannelBroken() }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { isClosed = true; continue }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// The next JSON object, or nil on timeout.
    func receiveJSON(timeout: Double) throws -> [String: Any]? {
        guard let line = try receive(timeout: timeout) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw DiagError(.failure, "diag's agent sent a line that is not a JSON object")
        }
        return object
    }

    /// Closes the connection (the agent then removes itself). Safe to call more than once.
    func close() {
        guard !descriptorClosed else { return }
        descriptorClosed = true
        isClosed = true
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    private var descriptorClosed = false

    /// O_PATH (Linux), which Glibc's Swift overlay does not export.
    private static let openPathOnly: Int32 = 0o10000000

    deinit { close() }
}

/// The agent's socket closed or failed.
struct ChannelBroken: Error {}
