import Glibc
import TargetProcess

/// A connection to an inspector diag holds, from somebody other than diag itself.
package struct InspectorIntruder: Equatable, Sendable {
    /// The uid that owns the client's socket, when the kernel's table still says.
    package let uid: UInt32?

    /// `another client connected to the inspector of PID (uid U) while diag held it; closed it`.
    package func message(targetPID: Int32) -> String {
        let who = uid.map { "uid \($0)" } ?? "uid unknown"
        return "another client connected to the inspector of \(targetPID) (\(who)) while diag held it; closed it"
    }
}

/// Looks for connections to an inspector port that diag did not make, in the kernel's TCP
/// tables of the target's network namespace. Both ends are looked at, in every state: the
/// target's accepted socket (while it lives) and the client's socket, which stays in
/// TIME_WAIT for a minute after a client that connected and left at once. Rows that were
/// there before the inspector opened (`baseline`) are old connections, not intruders.
package struct InspectorIntruderScan: Sendable {
    package let pid: Int32
    private let baseline: Set<Row>

    /// A row of /proc/PID/net/tcp{,6}.
    struct Row: Hashable, Sendable {
        let localPort: UInt16
        let remotePort: UInt16
        let state: UInt8
        let uid: UInt32
        let inode: UInt64
    }

    static let listenState: UInt8 = 0x0A

    /// Takes the baseline: call before the inspector opens.
    package init(pid: Int32) {
        self.pid = pid
        baseline = Set(Self.rows(pid: pid))
    }

    /// The first intruder on `port`, or nil.
    package func intruder(port: UInt16) -> InspectorIntruder? {
        let rows = Self.rows(pid: pid).filter { !baseline.contains($0) }
        // Client ends (local port = the client's) and the target's accepted ends (remote port = the client's).
        let clientPorts = Set(rows.filter { $0.remotePort == port && $0.state != Self.listenState }.map(\.localPort))
            .union(rows.filter { $0.localPort == port && $0.state != Self.listenState }.map(\.remotePort))
        let foreign = clientPorts.filter { !OwnInspectorConnections.contains($0) }
        guard !foreign.isEmpty else { return nil }
        let ownInodes = ListeningSockets.socketInodes(of: getpid())
        var intruders: [InspectorIntruder] = []
        for clientPort in foreign.sorted() {
            // A client end that is still open (not TIME_WAIT) says whose socket it is.
            let clientEnd = rows.first { $0.localPort == clientPort && $0.remotePort == port && $0.inode != 0 }
            if let clientEnd, ownInodes.contains(clientEnd.inode) { continue }
            // Registered meanwhile: a connection of diag's that showed before it was recorded.
            if OwnInspectorConnections.contains(clientPort) { continue }
            intruders.append(InspectorIntruder(uid: clientEnd?.uid))
        }
        return intruders.first { $0.uid != nil } ?? intruders.first
    }

    static func rows(pid: Int32) -> [Row] {
        ["tcp", "tcp6"].flatMap { parse(ProcFiles.readText("/proc/\(pid)/net/\($0)") ?? "") }
    }

    /// Fields: sl, local, remote, state, tx:rx, tr:when, retransmits, uid, timeout, inode.
    static func parse(_ table: String) -> [Row] {
        table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 9,
                  let local = fields[1].split(separator: ":").last, let remote = fields[2].split(separator: ":").last,
                  let localPort = UInt16(local, radix: 16), let remotePort = UInt16(remote, radix: 16),
                  let state = UInt8(fields[3], radix: 16), let uid = UInt32(fields[7]), let inode = UInt64(fields[9]) else { return nil }
            return Row(localPort: localPort, remotePort: remotePort, state: state, uid: uid, inode: inode)
        }
    }
}
