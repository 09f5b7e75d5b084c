import DiagSupport
import Glibc
import TargetProcess

/// The target's CPU use between two readings, from the user and system ticks of
/// /proc/PID/stat: 100% is one CPU busy (a process can use more than one), as top(1) shows it.
struct ProcessCPUMeter {
    let pid: Int32
    private var lastTicks: UInt64?
    private var lastTime = MonotonicClock.seconds()
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    init(pid: Int32) {
        self.pid = pid
        lastTicks = ticks()
    }

    /// The CPU percentage since the previous call (or since the meter was made); nil when
    /// the process is gone.
    mutating func percent() -> Double? {
        guard let now = ticks(), let before = lastTicks else { return nil }
        let time = MonotonicClock.seconds()
        defer { lastTicks = now; lastTime = time }
        guard time > lastTime else { return 0 }
        return Double(now &- before) / ticksPerSecond / (time - lastTime) * 100
    }

    private func ticks() -> UInt64? {
        guard let line = ProcFiles.readText("/proc/\(pid)/stat"), let info = ThreadInfo(tid: pid, statLine: line) else { return nil }
        return info.userTicks + info.systemTicks
    }
}
