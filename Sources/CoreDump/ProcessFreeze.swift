import DiagSupport
import TargetProcess

/// Every thread of a live process seized with PTRACE_SEIZE and stopped with PTRACE_INTERRUPT.
/// Threads created meanwhile are caught by listing /proc/PID/task again until the list is
/// stable. `release()` (also run on deinit) detaches every thread, which lets it run again:
/// whatever happens, the process is never left stopped or traced.
public final class ProcessFreeze {
    public let pid: Int32
    /// The stopped threads, the main thread first.
    public private(set) var threads: [TracedThread] = []

    public init(pid: Int32) throws {
        self.pid = pid
        do {
            try stopAllThreads()
        } catch {
            release()
            throw error
        }
    }

    deinit {
        release()
    }

    /// Detaches every thread. Safe to call more than once.
    public func release() {
        for thread in threads { thread.detach() }
        threads.removeAll()
    }

    private func stopAllThreads() throws {
        var known = Set<Int32>()
        for _ in 0..<20 {
            let listed = ProcFiles.numericEntries("/proc/\(pid)/task")
            let new = listed.filter { !known.contains($0) }
            if new.isEmpty { break }
            for tid in new {
                known.insert(tid)
                let thread: TracedThread
                do {
                    thread = try TracedThread(seizing: tid)
                } catch let error as DiagError where error.kind == .notFound && tid != pid {
                    continue  // the thread exited meanwhile
                }
                threads.append(thread)
                if try !thread.interruptAndWait() {
                    threads.removeLast()
                }
            }
        }
        guard threads.contains(where: { $0.tid == pid }) else {
            throw DiagError(.notFound, "process \(pid) exited while diag stopped its threads")
        }
        threads.sort { ($0.tid == pid ? 0 : 1, $0.tid) < ($1.tid == pid ? 0 : 1, $1.tid) }
    }
}
