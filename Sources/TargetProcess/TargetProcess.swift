import DiagSupport
import Glibc

/// A live process that diag was asked to look at, validated on creation: it exists, it is a
/// process (not a thread of another) and /proc describes it.
public struct TargetProcess: Sendable {
    public let pid: Int32
    public let status: ProcessStatus

    /// Validates `pid`, failing with the errors a user should see:
    /// `no such process 4242`, `4243 is a thread of process 4242`, permission problems.
    public init(pid: Int32) throws {
        guard pid > 0 else { throw DiagError(.notFound, "no such process \(pid)") }
        guard let text = ProcFiles.readText("/proc/\(pid)/status") else {
            if errno == EACCES {
                throw DiagError(.permissionDenied, "permission denied reading /proc/\(pid)",
                                hint: "run diag as root or as the user that owns the process")
            }
            throw DiagError(.notFound, "no such process \(pid)")
        }
        let status = ProcessStatus(parsing: text)
        if let groupLeader = TargetProcess.threadGroup(in: text), groupLeader != pid {
            throw DiagError(.notFound, "\(pid) is a thread of process \(groupLeader)",
                            hint: "pass the process id \(groupLeader)")
        }
        if status.state.hasPrefix("Z") {
            throw DiagError(.notFound, "process \(pid) has exited (zombie)")
        }
        self.pid = pid
        self.status = status
    }

    /// The command name (comm), at most 15 characters.
    public var name: String { status.name }

    /// The argument vector from /proc/PID/cmdline; empty for kernel threads.
    public var commandLine: [String] {
        guard let bytes = ProcFiles.read("/proc/\(pid)/cmdline") else { return [] }
        return bytes.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
            .dropLast(bytes.last == 0 ? 1 : 0)
    }

    /// The executable's path, or nil when it cannot be read (permissions, kernel thread).
    public var executablePath: String? { ProcFiles.readLink("/proc/\(pid)/exe") }

    /// A path that opens the executable even when it was deleted or lives in another mount
    /// namespace.
    public var executableAccessPath: String { "/proc/\(pid)/exe" }

    /// The thread ids, main thread first.
    public var threadIDs: [Int32] { ProcFiles.numericEntries("/proc/\(pid)/task") }

    /// The threads with their names and states; threads that exit while reading are skipped.
    public func threads() -> [ThreadInfo] {
        threadIDs.compactMap { ThreadInfo.read(pid: pid, tid: $0) }
    }

    /// The environment variables, when readable (needs the same permission as ptrace).
    public var environment: [String: String]? {
        guard let bytes = ProcFiles.read("/proc/\(pid)/environ") else { return nil }
        var result: [String: String] = [:]
        for entry in bytes.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// The name of the user owning the process, or its uid as text.
    public var userName: String { TargetProcess.userName(uid: status.realUID) }

    public static func userName(uid: UInt32) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    /// True when the process is still there (and not a zombie).
    public var isAlive: Bool {
        guard let text = ProcFiles.readText("/proc/\(pid)/status") else { return false }
        return !ProcessStatus(parsing: text).state.hasPrefix("Z")
    }

    private static func threadGroup(in statusText: String) -> Int32? {
        for line in statusText.split(separator: "\n") where line.hasPrefix("Tgid:") {
            return Int32(line.dropFirst(5).trimmingWhitespaceSubstring())
        }
        return nil
    }
}
