import CSystemShim
import CUnwindShim
import DiagSupport
import Glibc
import TargetProcess

/// The threads of a target that diag holds with PTRACE_SEIZE (which does not stop them),
/// with their names and scheduler states. New threads are seized on `refresh()`, exited
/// ones reaped; `detachAll()` lets every thread go and must run on every path.
final class SeizedThreads {
    /// One seized thread and its open /proc stat file.
    final class Thread {
        let stat: ThreadStatFile
        fileprivate(set) var isAttached = true

        init(stat: ThreadStatFile) { self.stat = stat }

        var tid: Int32 { stat.tid }
        var name: String { stat.name }

        /// The scheduler state letter now (R, S, D, T, t, Z...), or nil when the thread is gone.
        func currentState() -> Character? { stat.currentState() }
    }

    let pid: Int32
    private(set) var threads: [Thread] = []
    private var roster: ThreadRoster

    /// Seizes the threads of `pid` (or only `onlyThread`). Throws the precise ptrace error
    /// when the kernel refuses the first one; threads that exit meanwhile are skipped.
    init(pid: Int32, onlyThread: Int32? = nil) throws {
        self.pid = pid
        roster = try ThreadRoster(pid: pid, onlyThread: onlyThread)
        do {
            try refresh()
        } catch {
            detachAll()
            throw error
        }
        if threads.isEmpty { throw DiagError(.notFound, "no such process \(pid)") }
    }

    deinit { detachAll() }

    /// Seizes threads that appeared since the last call and forgets those that exited;
    /// returns both lists. Only the first call throws when the kernel refuses a thread;
    /// later, a thread that cannot be seized is left alone.
    @discardableResult
    func refresh() throws -> (started: [Thread], exited: [Int32]) {
        let isFirst = roster.isFirstLook
        var started: [Thread] = []
        for tid in roster.look() {
            let seized = isFirst ? try seize(tid) : try? seize(tid)
            guard let thread = seized ?? nil else { continue }
            threads.append(thread)
            started.append(thread)
        }
        var exited: [Int32] = []
        for thread in threads where roster.isGone(thread.stat) {
            exited.append(thread.tid)
            forget(thread)
        }
        return (started, exited)
    }

    /// Lets every thread that stopped on its own run again (delivering its signal) and
    /// forgets those that exited; returns the ids of the exited ones.
    func releaseUnexpectedStops() -> [Int32] {
        var exited: [Int32] = []
        for thread in threads where diag_release_unexpected_stop(thread.tid) == Int32(DIAG_SNAPSHOT_THREAD_GONE.rawValue) {
            exited.append(thread.tid)
            forget(thread)
        }
        return exited
    }

    /// Stops tracking `thread`, which exited: reaps it so that the target's parent can. (If
    /// it has not exited after all, it is detached.)
    func forget(_ thread: Thread) {
        guard let index = threads.firstIndex(where: { $0 === thread }) else { return }
        _ = diag_detach_thread(thread.tid)
        thread.isAttached = false
        threads.remove(at: index)
    }

    /// Detaches from every thread (each runs again, pending signals delivered). Safe to
    /// call more than once.
    func detachAll() {
        for thread in threads where thread.isAttached {
            _ = diag_detach_thread(thread.tid)
            thread.isAttached = false
        }
        threads.removeAll()
    }

    private func seize(_ tid: Int32) throws -> Thread? {
        guard let stat = ThreadStatFile(pid: pid, tid: tid) else { return nil }
        guard diag_ptrace(ptraceSeize, tid, nil, nil) == 0 else {
            let code = errno
            if code == ESRCH { return nil }  // exited meanwhile
            throw PtraceDiagnosis.explain(errno: code, tid: tid == pid ? pid : tid)
        }
        return Thread(stat: stat)
    }
}

/// PTRACE_SEIZE from <sys/ptrace.h>.
private let ptraceSeize: Int32 = 0x4206
