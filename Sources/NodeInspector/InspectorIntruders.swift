import Glibc
import TargetProcess

/// A connection to an inspector diag holds, from somebody other than diag itself.
package struct InspectorIntruder: Equatable, Sendable {
    /// The client's process, when it could be found.
    package let pid: Int32?
    /// The client's real uid, when its process could be found.
    package let uid: UInt32?

    /// `another client connected to the inspector of PID (uid U) while diag held it; closed it`.
    package func message(targetPID: Int32) -> String {
        let who = uid.map { "uid \($0)" } ?? "uid unknown"
        return "another client connected to the inspector of \(targetPID) (\(who)) while diag held it; closed it"
    }
}

extension InspectorClients {
    /// The first connection accepted on the inspector `port` of `pid` that diag did not open,
    /// or nil. A connection is diag's own when its client port was registered in
    /// OwnInspectorConnections or its client socket is one of this process's descriptors
    /// (a connection can show in the kernel's table a moment before it is registered).
    package static func intruder(pid: Int32, port: UInt16) -> InspectorIntruder? {
        let rows = established(pid: pid)
        let candidates = rows.filter { $0.localPort == port && !OwnInspectorConnections.contains($0.remotePort) }
        guard !candidates.isEmpty else { return nil }
        let ownInodes = ListeningSockets.socketInodes(of: getpid())
        for candidate in candidates {
            let peer = rows.first { $0.localPort == candidate.remotePort && $0.remotePort == port }
            if let peer, ownInodes.contains(peer.inode) { continue }
            if OwnInspectorConnections.contains(candidate.remotePort) { continue }
            var client: Int32?
            if let peer { client = owner(of: peer.inode) }
            var uid: UInt32?
            if let client, let process = try? TargetProcess(pid: client) { uid = process.status.realUID }
            return InspectorIntruder(pid: client, uid: uid)
        }
        return nil
    }
}
