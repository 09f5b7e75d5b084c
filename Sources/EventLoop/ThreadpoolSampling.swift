import DiagSupport
import Foundation
import NativeProfiler
import TargetProcess

/// Samples every thread of the target natively (ptrace, idle threads included, so that a
/// parked worker counts) on a thread of its own while the caller talks to the target, and
/// turns the samples into the threadpool's activity. Nothing changes in the target; each
/// thread is stopped for some µs per sample and detached at the end.
public final class ThreadpoolSampling: @unchecked Sendable {
    /// Samples per second per thread.
    public static let rate = 97

    private let target: TargetProcess
    private let resolver: FrameResolver
    private let duration: Double
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<NativeCapture, Error>?
    private var started = false
    private var activity: Result<ThreadpoolActivity, Error>?

    /// Prepares symbolization while the target is alive; throws when its memory cannot be read.
    public init(target: TargetProcess, duration: Double) throws {
        self.target = target
        self.duration = duration
        resolver = try FrameResolver(target: target)
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
    }

    /// Waits for the sampling to end and returns what the pool did (the same result on every call).
    public func finish() throws -> ThreadpoolActivity {
        if let activity { return try activity.get() }
        guard started else { throw DiagError(.failure, "native sampling did not start") }
        finished.wait()
        let result = Result { () throws -> ThreadpoolActivity in
            let capture = try outcome?.get()
            guard let capture else { throw DiagError(.failure, "native sampling did not run") }
            var assembler = ProfileAssembler(resolver: resolver)
            return ThreadpoolActivity(profile: assembler.assemble(capture).profile)
        }
        activity = result
        return try result.get()
    }
}
