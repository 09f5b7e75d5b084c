import CUnwindShim
import DiagSupport
import Glibc
import TargetProcess

/// Samples the native stacks of a running process with ptrace: every tick it stops each
/// thread that is on a CPU (or every thread with `includeIdle`), one at a time, copies its
/// registers and stack, lets it run, and unwinds the copy. Threads are seized for the whole
/// capture and detached on every way out, including errors and stop requests.
public final class NativeSampler {
    public let pid: Int32
    public let configuration: SamplerConfiguration
    /// Names JavaScript frames in every sample (`--mixed`), or nil for native frames only.
    public var javaScriptFrames: MixedStackRewriter?

    /// How often the thread list is re-read to find new threads, in seconds.
    static let threadRefreshInterval = 0.05

    public init(pid: Int32, configuration: SamplerConfiguration) {
        self.pid = pid
        self.configuration = configuration
    }

    /// Samples until the duration has passed, a stop is requested (`StopRequest`), or the
    /// target exits. `progress` receives the elapsed seconds after every tick.
    public func run(processName: String, progress: (Double) -> Void = { _ in }) throws -> NativeCapture {
        let threads = try SeizedThreads(pid: pid, onlyThread: configuration.thread)
        defer { threads.detachAll() }
        let snapshotter = try StackSnapshotter(pid: pid, stackCopySize: configuration.stackCopySize,
                                               unwindWhileStopped: configuration.unwindWhileStopped,
                                               javaScriptFrames: javaScriptFrames)
        diag_watch_tracee_events()
        // Real-time priority for the whole capture (diag sleeps between ticks), so that a busy
        // scheduler cannot leave a thread stopped while diag waits for a CPU.
        let raised = diag_raise_priority()
        defer { diag_restore_priority(raised) }
        var loop = SamplingLoopState(configuration: configuration)
        for thread in threads.threads { loop.samples.threadSlot(tid: thread.tid, name: thread.name) }

        var lastRefresh = loop.start
        while true {
            if let signal = StopRequest.signal { loop.endReason = .stopRequested(signal: signal); break }
            guard let scheduled = loop.waitForNextTick(releaseStops: threads.releaseUnexpectedStops) else { break }
            if StopRequest.isRequested { continue }
            if Double(scheduled - lastRefresh) / 1e9 >= NativeSampler.threadRefreshInterval {
                lastRefresh = scheduled
                let changes = try threads.refresh()
                loop.threadsStarted += changes.started.map(\.tid)
                loop.threadsExited += changes.exited
                for thread in changes.started { loop.samples.threadSlot(tid: thread.tid, name: thread.name) }
            }
            sampleThreads(threads, snapshotter: snapshotter, scheduled: scheduled, loop: &loop)
            if threads.threads.isEmpty {
                loop.endReason = ProcessLiveness.hasLiveThread(pid: pid) ? .threadExited : .targetExited
                break
            }
            progress(Double(diag_monotonic_ns() - loop.start) / 1e9)
        }
        return loop.capture(pid: pid, processName: processName, liveMemoryReads: snapshotter.liveMemoryReads)
    }

    private func sampleThreads(_ threads: SeizedThreads, snapshotter: StackSnapshotter, scheduled: Int64,
                               loop: inout SamplingLoopState) {
        for thread in threads.threads {
            guard let state = thread.currentState() else {
                loop.threadsExited.append(thread.tid)
                threads.forget(thread)
                continue
            }
            let isIdle: Bool
            switch state {
            case "R": isIdle = false
            case "S" where configuration.includeIdle: isIdle = true
            case "t":
                // Stopped for a signal that arrived while diag traces it: let it run at once.
                _ = diag_release_unexpected_stop(thread.tid)
                continue
            case "Z", "X":
                loop.threadsExited.append(thread.tid)
                threads.forget(thread)
                continue
            default: continue  // off CPU (not sampled), in uninterruptible sleep, or stopped by job control
            }
            switch snapshotter.sample(tid: thread.tid) {
            case let .sampled(time, timing, addresses):
                loop.record(timing, time: time, scheduled: scheduled)
                loop.samples.add(tid: thread.tid, name: thread.name, time: time, stack: addresses, isIdle: isIdle)
            case .threadGone:
                loop.threadsExited.append(thread.tid)
                threads.forget(thread)
            case .jobControlStopped:
                continue
            case let .failed(_, stopNanoseconds):
                loop.failedSamples += 1
                if stopNanoseconds > 0 { loop.stopNanoseconds.append(stopNanoseconds) }
            }
        }
    }
}
