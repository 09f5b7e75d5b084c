import DiagSupport
import TargetProcess

/// Which threads of a target a sampler covers as they come and go: all of them, or the one
/// asked for. Each look at /proc/PID/task hands back the threads not seen before, once.
struct ThreadRoster {
    let pid: Int32
    /// The one thread to cover, or nil for all.
    let onlyThread: Int32?
    private var known: Set<Int32> = []
    private var listed: Set<Int32> = []

    /// Throws when `onlyThread` is not a thread of `pid`.
    init(pid: Int32, onlyThread: Int32?) throws {
        if let onlyThread, ThreadInfo.read(pid: pid, tid: onlyThread) == nil {
            throw DiagError(.notFound, "process \(pid) has no thread \(onlyThread)",
                            hint: "list its threads with: ls /proc/\(pid)/task")
        }
        self.pid = pid
        self.onlyThread = onlyThread
    }

    /// True before the first `look()`.
    var isFirstLook: Bool { known.isEmpty }

    /// Reads the thread list again; returns the threads it shows for the first time.
    mutating func look() -> [Int32] {
        let current = onlyThread.map { [$0] } ?? ProcFiles.numericEntries("/proc/\(pid)/task")
        listed = Set(current)
        let new = current.filter { !known.contains($0) }
        known.formUnion(new)
        return new
    }

    /// True when the thread of `stat` was missing from the last look, or has exited or
    /// become a zombie since.
    func isGone(_ stat: ThreadStatFile) -> Bool {
        !listed.contains(stat.tid) || stat.currentState().map { $0 == "Z" || $0 == "X" } ?? true
    }
}
