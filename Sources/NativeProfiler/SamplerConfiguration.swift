/// How `NativeSampler` samples: rate, duration, which threads, idle threads or not.
public struct SamplerConfiguration: Sendable {
    /// Samples per second per thread.
    public var rate: Int
    /// Capture length in seconds (a stop request ends it earlier).
    public var duration: Double
    /// Sample only this thread; nil samples every thread.
    public var thread: Int32?
    /// Also stop and sample threads that are not on a CPU (shown as idle).
    public var includeIdle: Bool
    /// Bytes of stack copied per sample, above the stack pointer.
    public var stackCopySize: Int
    /// The default `stackCopySize`.
    public static let defaultStackCopySize = 32 * 1024
    /// Benchmark reference: unwind with libunwind-ptrace while the thread is stopped.
    public var unwindWhileStopped: Bool

    public init(rate: Int = 99, duration: Double = 10, thread: Int32? = nil, includeIdle: Bool = false,
                stackCopySize: Int = SamplerConfiguration.defaultStackCopySize, unwindWhileStopped: Bool = false) {
        self.rate = rate
        self.duration = duration
        self.thread = thread
        self.includeIdle = includeIdle
        self.stackCopySize = stackCopySize
        self.unwindWhileStopped = unwindWhileStopped
    }
}
