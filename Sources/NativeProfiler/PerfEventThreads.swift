import CUnwindShim
import DiagSupport
import Glibc
import TargetProcess

/// The threads of a target, each with its own perf_event sampling stream. New threads get a
/// stream on `refresh()`; exited ones are handed back so that their last samples can be read
/// before `close(_:)`. `closeAll()` must run on every way out.
final class PerfEventThreads {
    /// One thread, its stream and its open /proc stat file.
    final class Thread {
        let stat: ThreadStatFile
        fileprivate(set) var stream: OpaquePointer?

        init(stat: ThreadStatFile, stream: OpaquePointer) {
            self.stat = stat
            self.stream = stream
        }

        var tid: Int32 { stat.tid }
        var name: String { stat.name }
    }

    /// How each stream samples: CPU-time period, stack bytes per sample, ring-buffer pages.
    struct StreamShape {
        var periodNanoseconds: UInt64
        var stackBytes: UInt32
        var bufferPages: UInt32

        /// The fewest pages (a power of two) that hold two samples: a smaller buffer would
        /// lose every sample.
        var minimumBufferPages: UInt32 {
            let twoRecords = 2 * (Int(stackBytes) + PerfEventThreads.recordOverhead)
            var pages: UInt32 = 1
            while Int(pages) * 4096 < twoRecords { pages *= 2 }
            return pages
        }
    }

    /// Bytes of a sample record besides its stack copy (header, ids, time, registers, sizes), rounded up.
    static let recordOverhead = 256

    let pid: Int32
    private(set) var shape: StreamShape
    private(set) var threads: [Thread] = []
    private var roster: ThreadRoster
    /// Threads that started during the capture but whose stream the kernel refused.
    private(set) var unsampledThreads: [Int32] = []

    /// Opens a stream on every thread of `pid` (or only `onlyThread`). Throws
    /// `PerfEventUnavailable` when the kernel refuses the first one (a smaller ring buffer is
    /// tried first when only memory is short), and a `DiagError` when there is no such thread.
    init(pid: Int32, onlyThread: Int32?, shape: StreamShape) throws {
        self.pid = pid
        self.shape = shape
        roster = try ThreadRoster(pid: pid, onlyThread: onlyThread)
        PerfEventThreads.allowAllDescriptors()
        do {
            _ = try refresh()
        } catch {
            closeAll()
            throw error
        }
        if threads.isEmpty { throw DiagError(.notFound, "no such process \(pid)") }
    }

    deinit { closeAll() }

    /// Opens streams on threads that appeared since the last call and takes the exited ones
    /// out of `threads`; returns both. Only the first call throws; later, a thread whose
    /// stream the kernel refuses is noted in `unsampledThreads`.
    func refresh() throws -> (started: [Thread], exited: [Thread]) {
        let isFirst = roster.isFirstLook
        var started: [Thread] = []
        for tid in roster.look() {
            do {
                guard let thread = try open(tid) else { continue }
                threads.append(thread)
                started.append(thread)
            } catch {
                if isFirst { throw error }
                unsampledThreads.append(tid)
            }
        }
        var exited: [Thread] = []
        threads.removeAll { thread in
            let gone = roster.isGone(thread.stat)
            if gone { exited.append(thread) }
            return gone
        }
        return (started, exited)
    }

    /// Closes the stream of `thread` (once its records have been read).
    func close(_ thread: Thread) {
        diag_perf_stream_close(thread.stream)
        thread.stream = nil
    }

    /// Closes every stream. Safe to call more than once.
    func closeAll() {
        for thread in threads { close(thread) }
        threads.removeAll()
    }

    /// Raises the soft limit on open files to the hard one: each thread takes two descriptors
    /// (its stream and its stat file), and the usual soft limit of 1024 would cap a target at
    /// about 500 threads.
    private static func allowAllDescriptors() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Opens a stream on `tid`; nil when the thread exited meanwhile. When the kernel cannot
    /// map the ring buffer (locked memory), halves it down to two samples' worth before giving up.
    private func open(_ tid: Int32) throws -> Thread? {
        guard let stat = ThreadStatFile(pid: pid, tid: tid) else { return nil }
        while true {
            var errorCode: Int32 = 0
            if let stream = diag_perf_stream_open(tid, shape.periodNanoseconds, shape.stackBytes, shape.bufferPages, &errorCode) {
                return Thread(stat: stat, stream: stream)
            }
            if errorCode == ESRCH { return nil }
            guard (errorCode == ENOMEM || errorCode == EPERM) && shape.bufferPages > shape.minimumBufferPages else {
                throw PerfEventUnavailable(errorCode: errorCode)
            }
            shape.bufferPages /= 2
        }
    }
}
