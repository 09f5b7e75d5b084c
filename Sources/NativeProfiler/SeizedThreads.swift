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
        let tid: Int32
        private(set) var name: String
        private let statDescriptor: Int32
        fileprivate(set) var isAttached = true

        init(tid: Int32, name: String, statDescriptor: Int32) {
            self.tid = tid
            self.name = name
            self.statDescriptor = statDescriptor
        }

        deinit { close(statDescriptor) }

        /// The scheduler state letter now (R, S, D, T, t, Z...), or nil when the thread is gone.
        /// Reading an open /proc file again from offset 0 costs one system call.
        func currentState() -> Character? {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { pread(statDescriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            guard let info = ThreadInfo(tid: tid, statLine: String(decoding: buffer[0..<count], as: UTF8.self)) else { return nil }
            name = info.name
            return info.state
        }
    }

    let pid: Int32
    /// The one thread to hold, or nil for all.
    let onlyThread: Int32?
    private(set) var threads: [Thread] = []
    private var known: Set<Int32> = []

    /// Seizes the threads of `pid` (or only `onlyThread`). Throws the precise ptrace error
    /// when the kernel refuses the first one; threads that exit meanwhile are skipped.
    init(pid: Int32, onlyThread: Int32? = nil) throws {
        self.pid = pid
        self.onlyThread = onlyThread
        if let onlyThread, ThreadInfo.read(pid: pid, tid: onlyThread) == nil {
            throw DiagError(.notFound, "process \(pid) has no thread \(onlyThread)",
                            hint: "list its threads with: ls /proc/\(pid)/task")
        }
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
        let isFirst = known.isEmpty
        let listed = onlyThread.map { [$0] } ?? ProcFiles.numericEntries("/proc/\(pid)/task")
        let current = Set(listed)
        var started: [Thread] = []
        for tid in listed where !known.contains(tid) {
            known.insert(tid)
            let seized = isFirst ? try seize(tid) : try? seize(tid)
            guard let thread = seized ?? nil else { continue }
            threads.append(thread)
            started.append(thread)
        }
        var exited: [Int32] = []
        for thread in threads where !current.contains(thread.tid) || thread.currentState().map({ $0 == "Z" || $0 == "X" }) ?? true {
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
        let statPath = "/proc/\(pid)/task/\(tid)/stat"
        let descriptor = open(statPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard diag_ptrace(ptraceSeize, tid, nil, nil) == 0 else {
            let code = errno
            close(descriptor)
            if code == ESRCH { return nil }  // exited meanwhile
            throw PtraceDiagnosis.explain(errno: code, tid: tid == pid ? pid : tid)
        }
        let thread = Thread(tid: tid, name: "", statDescriptor: descriptor)
        _ = thread.currentState()
        return thread
    }
}

/// PTRACE_SEIZE from <sys/ptrace.h>.
private let ptraceSeize: Int32 = 0x4206
