import TargetProcess

/// The clients connected to an inspector port, from the kernel's socket tables: the
/// ESTABLISHED sockets the target accepted on that port, and who holds the other ends.
package enum InspectorClients {
    /// A connection from a client: its local (client-side) port and the owning process, if found.
    struct Client: Equatable {
        let clientPort: UInt16
        let pid: Int32?
    }

    /// The clients of the inspector `pid` listens with on `port`, except the one connected
    /// from `excludedClientPort` (diag's own).
    static func connected(to pid: Int32, port: UInt16, excludingClientPort excludedClientPort: UInt16? = nil) -> [Client] {
        let owned = ListeningSockets.socketInodes(of: pid)
        let rows = established(pid: pid)
        let accepted = rows.filter { $0.localPort == port && $0.remotePort != excludedClientPort && owned.contains($0.inode) }
        return accepted.map { connection in
            let peer = rows.first { $0.localPort == connection.remotePort && $0.remotePort == port }
            return Client(clientPort: connection.remotePort, pid: peer.flatMap { owner(of: $0.inode) })
        }
    }

    struct Row: Equatable {
        let localPort: UInt16
        let remotePort: UInt16
        let inode: UInt64
    }

    /// ESTABLISHED (state 01) rows of /proc/PID/net/tcp and tcp6.
    static func established(pid: Int32) -> [Row] {
        ["tcp", "tcp6"].flatMap { parse(ProcFiles.readText("/proc/\(pid)/net/\($0)") ?? "") }
    }

    static func parse(_ table: String) -> [Row] {
        table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "01",
                  let local = fields[1].split(separator: ":").last, let remote = fields[2].split(separator: ":").last,
                  let localPort = UInt16(local, radix: 16), let remotePort = UInt16(remote, radix: 16),
                  let inode = UInt64(fields[9]) else { return nil }
            return Row(localPort: localPort, remotePort: remotePort, inode: inode)
        }
    }

    static func owner(of inode: UInt64) -> Int32? {
        ProcFiles.numericEntries("/proc").first { ListeningSockets.socketInodes(of: $0).contains(inode) }
    }

    /// `pid 4242 (node)` or `an unknown process` (another namespace or no permission).
    static func describe(_ pid: Int32?) -> String {
        guard let pid else { return "an unknown process" }
        let name = (try? TargetProcess(pid: pid))?.name ?? "?"
        return "pid \(pid) (\(name))"
    }
}
