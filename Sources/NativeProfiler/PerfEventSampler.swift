import CUnwindShim
import DiagSupport
import Glibc

/// Samples the native stacks of a running process with perf_event: one CPU-clock sampling
/// stream per thread, so the kernel takes each sample from its timer interrupt (registers and
/// a copy of the top of the user stack) while the thread runs on, never stopped. diag reads
/// the streams' ring buffers every few milliseconds and unwinds the copies with libunwind,
/// like ptrace snapshots. Only threads on a CPU are sampled: a stream counts its thread's CPU
/// time. Streams are closed on every way out.
public final class PerfEventSampler {
    public let pid: Int32
    public let configuration: SamplerConfiguration
    /// Names JavaScript frames in every sample (`--mixed`), or nil for native frames only.
    public var javaScriptFrames: MixedStackRewriter?

    /// How often the ring buffers are read, in nanoseconds.
    static let drainInterval: Int64 = 10_000_000
    /// How often the thread list is re-read to find new threads, in nanoseconds.
    static let threadRefreshInterval: Int64 = 50_000_000

    public init(pid: Int32, configuration: SamplerConfiguration) {
        self.pid = pid
        self.configuration = configuration
    }

    /// Samples until the duration has passed, a stop is requested (`StopRequest`), or the
    /// target exits. Throws `PerfEventUnavailable` when the kernel refuses the first stream.
    /// `progress` receives the elapsed seconds every few milliseconds.
    public func run(processName: String, progress: (Double) -> Void = { _ in }) throws -> NativeCapture {
        // Before the streams open: no sample may precede the capture's start.
        let start = diag_monotonic_ns()
        let threads = try PerfEventThreads(pid: pid, onlyThread: configuration.thread, shape: streamShape())
        defer { threads.closeAll() }
        guard let unwinder = diag_snapshot_unwinder_create(pid) else {
            throw DiagError(.failure, "cannot set up libunwind for process \(pid)")
        }
        defer { diag_snapshot_unwinder_destroy(unwinder) }
        var reader = PerfRecordReader(unwinder: unwinder, stackCapacity: Int(threads.shape.stackBytes),
                                      javaScriptFrames: javaScriptFrames)
        for thread in threads.threads { reader.samples.threadSlot(tid: thread.tid, name: thread.name) }

        let deadline = start + Int64(configuration.duration * 1e9)
        var endReason = NativeCapture.EndReason.completed
        var threadsStarted: [Int32] = [], threadsExited: [Int32] = []
        var lastRefresh = start
        while true {
            if let signal = StopRequest.signal { endReason = .stopRequested(signal: signal); break }
            let now = diag_monotonic_ns()
            if now >= deadline { break }
            if diag_sleep_until(min(now + PerfEventSampler.drainInterval, deadline)) < 0 { continue }
            for thread in threads.threads { reader.drain(thread) }
            if diag_monotonic_ns() - lastRefresh >= PerfEventSampler.threadRefreshInterval {
                lastRefresh = diag_monotonic_ns()
                let changes = try threads.refresh()
                for thread in changes.started { reader.samples.threadSlot(tid: thread.tid, name: thread.name) }
                threadsStarted += changes.started.map(\.tid)
                for thread in changes.exited {
                    reader.drain(thread)
                    threads.close(thread)
                    threadsExited.append(thread.tid)
                }
                if threads.threads.isEmpty {
                    endReason = ProcessLiveness.hasLiveThread(pid: pid) ? .threadExited : .targetExited
                    break
                }
            }
            progress(Double(diag_monotonic_ns() - start) / 1e9)
        }
        for thread in threads.threads { reader.drain(thread) }
        // After the last records are read: no sample may follow the capture's end.
        let end = diag_monotonic_ns()
        let impact = SamplerImpact(method: .perfEvent, stopMicroseconds: .init([]), interruptLatencyMicroseconds: .init([]),
                                   samplesTaken: reader.samplesTaken, lateSamples: 0, missedTicks: 0,
                                   failedSamples: reader.failedSamples, lostSamples: reader.lostSamples,
                                   unsampledThreads: threads.unsampledThreads.count, stoppedShare: 0)
        return NativeCapture(pid: pid, processName: processName, samples: reader.samples, startTime: start / 1000,
                             endTime: end / 1000, rate: configuration.rate, endReason: endReason,
                             threadsStarted: threadsStarted, threadsExited: threadsExited, impact: impact,
                             liveMemoryReads: diag_snapshot_unwinder_live_reads(unwinder))
    }

    /// Sampling period, stack bytes and ring-buffer size for the configuration: the buffer holds
    /// four drain intervals' worth of samples (at least two samples, at most 4 MiB).
    func streamShape() -> PerfEventThreads.StreamShape {
        let stackBytes = UInt32(min(configuration.stackCopySize, Int(DIAG_PERF_MAX_STACK_BYTES)) & ~7)
        let recordBytes = Double(stackBytes) + Double(PerfEventThreads.recordOverhead)
        let perInterval = Double(configuration.rate) * Double(PerfEventSampler.drainInterval) / 1e9
        let wanted = (4 * perInterval + 2) * recordBytes / 4096
        var pages: UInt32 = 8
        while Double(pages) < wanted && pages < 1024 { pages *= 2 }
        return .init(periodNanoseconds: UInt64(1_000_000_000 / max(configuration.rate, 1)), stackBytes: stackBytes,
                     bufferPages: pages)
    }
}
