import DiagSupport
import Foundation
import NativeProfiler
import TargetProcess

/// Samples every thread of the target natively (ptrace, idle threads included, so that a
/// parked worker counts) on a thread of its own while the caller talks to the target, reads
/// libuv's work queue from the target's memory on another, and turns both into the
/// threadpool's activity. Nothing changes in the target; each thread is stopped for some µs
/// per sample and detached at the end.
public final class ThreadpoolSampling: @unchecked Sendable {
    /// Samples per second per thread.
    public static let rate = 97
    /// Seconds between two readings of libuv's queue.
    public static let queueInterval = 0.005

    private let target: TargetProcess
    private let resolver: FrameResolver
    private let duration: Double
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<NativeCapture, Error>?
    private var started = false
    private var activity: Result<ThreadpoolActivity, Error>?
    private let queueReader: ThreadpoolQueueReader?
    private let queueFinished = DispatchSemaphore(value: 0)
    private var queueLength: ThreadpoolActivity.QueueLength?

    /// Prepares symbolization while the target is alive; throws when its memory cannot be read.
    public init(target: TargetProcess, duration: Double) throws {
        self.target = target
        self.duration = duration
        resolver = try FrameResolver(target: target)
        queueReader = ThreadpoolQueueReader(pid: target.pid)
    }

    /// Starts sampling for the duration on a new thread.
    public func start() {
        started = true
        let configuration = SamplerConfiguration(rate: Self.rate, duration: duration, includeIdle: true)
        let thread = Thread { [self] in
            outcome = Result { try NativeSampler(pid: target.pid, configuration: configuration).run(processName: target.name) }
            finished.signal()
        }
        thread.name = "diag-threadpool-sampler"
        thread.start()
        guard let queueReader else { return }
        let queueThread = Thread { [self] in
            queueLength = Self.watch(queueReader, for: duration)
            queueFinished.signal()
        }
        queueThread.name = "diag-threadpool-queue"
        queueThread.start()
    }

    /// Reads the queue every `queueInterval` for `duration` seconds (or until a stop request);
    /// nil when no reading succeeded.
    private static func watch(_ reader: ThreadpoolQueueReader, for duration: Double) -> ThreadpoolActivity.QueueLength? {
        let end = Date().addingTimeInterval(duration)
        var readings = 0
        var queued = 0
        var busy = 0
        var longest = 0
        while Date() < end, !StopRequest.isRequested {
            if let reading = reader.read() {
                readings += 1
                queued += reading.queued
                busy += reading.busy
                longest = max(longest, reading.queued)
            }
            Thread.sleep(forTimeInterval: queueInterval)
        }
        guard readings > 0 else { return nil }
        return ThreadpoolActivity.QueueLength(average: Double(queued) / Double(readings), max: longest,
                                              averageBusyThreads: Double(busy) / Double(readings))
    }

    /// Waits for the sampling to end and returns what the pool did (the same result on every call).
    public func finish() throws -> ThreadpoolActivity {
        if let activity { return try activity.get() }
        guard started else { throw DiagError(.failure, "native sampling did not start") }
        finished.wait()
        if queueReader != nil { queueFinished.wait() }
        let result = Result { () throws -> ThreadpoolActivity in
            let capture = try outcome?.get()
            guard let capture else { throw DiagError(.failure, "native sampling did not run") }
            var assembler = ProfileAssembler(resolver: resolver)
            let sampled = ThreadpoolActivity(profile: assembler.assemble(capture).profile)
            return queueLength.map(sampled.withQueue) ?? sampled
        }
        activity = result
        return try result.get()
    }
}
