import CInspectorShim
import DiagSupport
import Glibc
import TargetProcess

/// The network namespace of a process. A target in a container listens on the loopback
/// interface of its own namespace, which diag's 127.0.0.1 does not reach: diag then creates
/// its sockets inside the target's namespace (setns on the calling thread, then back), and
/// the sockets keep working after the thread returns home.
public struct NetworkNamespace: Sendable, Equatable {
    /// The namespace's inode, as in `net:[4026531840]`.
    public let inode: UInt64

    /// The namespace of process `pid`, or nil when /proc/PID/ns/net cannot be read.
    public static func of(pid: Int32) -> NetworkNamespace? {
        parse(link: ProcFiles.readLink("/proc/\(pid)/ns/net"))
    }

    /// The namespace of the calling thread.
    public static var current: NetworkNamespace? {
        parse(link: ProcFiles.readLink("/proc/thread-self/ns/net"))
    }

    static func parse(link: String?) -> NetworkNamespace? {
        guard let link, link.hasPrefix("net:["), link.hasSuffix("]"),
              let inode = UInt64(link.dropFirst(5).dropLast()) else { return nil }
        return NetworkNamespace(inode: inode)
    }

    /// True when `pid` lives in another network namespace than diag.
    public static func isForeign(pid: Int32) -> Bool {
        guard let target = of(pid: pid), let own = current else { return false }
        return target != own
    }

    /// Runs `body` inside the network namespace of `pid` (directly when it is diag's own).
    /// Entering needs CAP_SYS_ADMIN; without it the error says how to run diag instead.
    public static func withNamespace<Result>(of pid: Int32, _ body: () throws -> Result) throws -> Result {
        guard isForeign(pid: pid) else { return try body() }
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else { throw DiagError.system("cannot open diag's own network namespace", errno: errno) }
        defer { close(home) }
        let target = open("/proc/\(pid)/ns/net", O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw DiagError.system("cannot open the network namespace of \(pid)", errno: errno) }
        defer { close(target) }
        guard diag_enter_network_namespace(target) == 0 else {
            let code = errno
            throw DiagError(code == EPERM ? .permissionDenied : .failure,
                            "process \(pid) is in another network namespace (a container) and diag cannot enter it: \(String(cString: strerror(code)))",
                            hint: "run diag as root (entering a namespace needs CAP_SYS_ADMIN), or inside the container, e.g. nsenter -t \(pid) -n diag ...")
        }
        defer {
            if diag_enter_network_namespace(home) != 0 {
                // Staying in the target's namespace would make every later connection wrong.
                Terminal.printError("diag: cannot return to its own network namespace; stopping")
                abort()
            }
        }
        return try body()
    }
}
