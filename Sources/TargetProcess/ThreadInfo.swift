/// One thread of a process as /proc/PID/task/TID/stat describes it.
public struct ThreadInfo: Sendable, Equatable {
    public let tid: Int32
    /// The thread's name (comm), at most 15 characters.
    public let name: String
    /// The scheduler state letter: R running, S sleeping, D disk wait, T stopped, t traced, Z zombie.
    public let state: Character
    /// CPU time in clock ticks, user and system.
    public let userTicks: UInt64
    public let systemTicks: UInt64

    /// True when the thread is on a CPU or runnable.
    public var isRunning: Bool { state == "R" }

    /// Parses a stat line; the name is in parentheses and may itself contain spaces and parentheses.
    public init?(tid: Int32, statLine: String) {
        guard let open = statLine.firstIndex(of: "("), let close = statLine.lastIndex(of: ")"),
              open < close else { return nil }
        self.tid = tid
        name = String(statLine[statLine.index(after: open)..<close])
        let rest = statLine[statLine.index(after: close)...].split(separator: " ")
        // rest[0] is the state (field 3); utime and stime are fields 14 and 15.
        guard rest.count > 12, let state = rest[0].first else { return nil }
        self.state = state
        userTicks = UInt64(rest[11]) ?? 0
        systemTicks = UInt64(rest[12]) ?? 0
    }

    /// Reads the thread `tid` of process `pid`; nil when it has exited.
    public static func read(pid: Int32, tid: Int32) -> ThreadInfo? {
        guard let line = ProcFiles.readText("/proc/\(pid)/task/\(tid)/stat") else { return nil }
        return ThreadInfo(tid: tid, statLine: line)
    }
}
