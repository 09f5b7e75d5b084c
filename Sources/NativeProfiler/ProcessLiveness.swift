import TargetProcess

/// Whether a target process still runs, for samplers whose threads have all gone.
enum ProcessLiveness {
    /// True while some thread of `pid` is neither exited nor a zombie.
    static func hasLiveThread(pid: Int32) -> Bool {
        ProcFiles.numericEntries("/proc/\(pid)/task").contains { tid in
            guard let state = ThreadInfo.read(pid: pid, tid: tid)?.state else { return false }
            return state != "Z" && state != "X"
        }
    }
}
