import DiagSupport

/// The kernel's perf_event access setting, as diag cpu and diag doctor read it.
public enum PerfEventSettings {
    /// kernel.perf_event_paranoid, or nil when the kernel has no perf_event.
    public static func paranoid() -> Int? {
        ProcFiles.readText("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0.trimmingWhitespace()) }
    }
}
