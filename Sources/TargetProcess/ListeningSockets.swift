/// A TCP socket in the LISTEN state, from /proc/PID/net/tcp and tcp6.
public struct ListeningSocket: Sendable, Equatable, Hashable {
    /// The bound address as text (`127.0.0.1`, `0.0.0.0`, `::1`, `::`).
    public let address: String
    public let port: UInt16
    public let inode: UInt64

    /// True when only this machine can connect (127.0.0.0/8 or ::1).
    public var isLoopback: Bool { address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1" }
}

/// Which TCP ports processes listen on, found the way `ss -ltnp` does: the socket inodes
/// among a process's open files, matched against the kernel's socket tables.
public enum ListeningSockets {
    /// The sockets process `pid` listens on (in its own network namespace).
    public static func of(pid: Int32) -> [ListeningSocket] {
        let owned = socketInodes(of: pid)
        guard !owned.isEmpty else { return [] }
        return table(pid: pid).filter { owned.contains($0.inode) }
    }

    /// All listening sockets in the network namespace of `pid`.
    public static func table(pid: Int32) -> [ListeningSocket] {
        parse(ProcFiles.readText("/proc/\(pid)/net/tcp") ?? "", isIPv6: false)
            + parse(ProcFiles.readText("/proc/\(pid)/net/tcp6") ?? "", isIPv6: true)
    }

    /// The process (other than none) that holds a listening socket on `port`, searching
    /// every process visible in /proc.
    public static func owner(ofPort port: UInt16, amongNamespaceOf pid: Int32) -> Int32? {
        let inodes = Set(table(pid: pid).filter { $0.port == port }.map(\.inode))
        guard !inodes.isEmpty else { return nil }
        for candidate in ProcFiles.numericEntries("/proc") where !socketInodes(of: candidate).isDisjoint(with: inodes) {
            return candidate
        }
        return nil
    }

    /// The inodes of the sockets among the open files of `pid`.
    public static func socketInodes(of pid: Int32) -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for fd in ProcFiles.list("/proc/\(pid)/fd") ?? [] {
            guard let target = ProcFiles.readLink("/proc/\(pid)/fd/\(fd)"), target.hasPrefix("socket:[") else { continue }
            if let inode = UInt64(target.dropFirst(8).dropLast()) { inodes.insert(inode) }
        }
        return inodes
    }

    /// Parses the kernel's table; state 0A is LISTEN.
    static func parse(_ text: String, isIPv6: Bool) -> [ListeningSocket] {
        var result: [ListeningSocket] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, let port = UInt16(local[1], radix: 16), let inode = UInt64(fields[9]) else { continue }
            let address = isIPv6 ? ipv6(String(local[0])) : ipv4(String(local[0]))
            result.append(ListeningSocket(address: address, port: port, inode: inode))
        }
        return result
    }

    /// The kernel prints an IPv4 address as one little-endian 32-bit hex word.
    static func ipv4(_ hex: String) -> String {
        guard let value = UInt32(hex, radix: 16) else { return hex }
        return (0..<4).map { String((value >> (8 * UInt32($0))) & 0xff) }.joined(separator: ".")
    }

    /// An IPv6 address is four little-endian 32-bit words.
    static func ipv6(_ hex: String) -> String {
        guard hex.count == 32 else { return hex }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        for _ in 0..<4 {
            let next = hex.index(index, offsetBy: 8)
            let word = UInt32(hex[index..<next], radix: 16) ?? 0
            for shift in 0..<4 { bytes.append(UInt8((word >> (8 * UInt32(shift))) & 0xff)) }
            index = next
        }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12...].map { String($0) }.joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { (UInt16(bytes[$0]) << 8) | UInt16(bytes[$0 + 1]) }
        return compressIPv6(groups)
    }

    private static func compressIPv6(_ groups: [UInt16]) -> String {
        var bestStart = -1, bestLength = 0, start = -1
        for (index, group) in groups.enumerated() {
            if group == 0 {
                if start < 0 { start = index }
                if index - start + 1 > bestLength { bestStart = start; bestLength = index - start + 1 }
            } else {
                start = -1
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return text.joined(separator: ":") }
        let head = text[..<bestStart].joined(separator: ":")
        let tail = text[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
