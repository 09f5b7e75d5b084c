/// The result of a native capture: raw stacks per thread, how the capture ended, what
/// happened to the target's threads meanwhile, and what sampling cost the target.
public struct NativeCapture: Sendable {
    /// Why sampling stopped.
    public enum EndReason: Sendable, Equatable {
        case completed
        /// SIGINT or SIGTERM asked diag to stop early.
        case stopRequested(signal: Int32)
        /// The target process exited.
        case targetExited
        /// The one thread being sampled (`--thread`) exited; the process still runs.
        case threadExited
    }

    public var pid: Int32
    public var processName: String
    public var samples: RawSamples
    /// µs on CLOCK_MONOTONIC.
    public var startTime: Int64
    public var endTime: Int64
    public var rate: Int
    public var endReason: EndReason
    /// Threads that started and exited during the capture.
    public var threadsStarted: [Int32]
    public var threadsExited: [Int32]
    public var impact: SamplerImpact
    /// Memory reads the unwinder made from the live process (outside the stack copies).
    public var liveMemoryReads: UInt64
    /// Remarks about how the capture was taken (such as why ptrace was used).
    public var notes: [String] = []
    /// `--mixed` only: the JavaScript functions that stack entries of
    /// `MixedStackRewriter.token(for:)` stand for, and how many JavaScript frames were named.
    public var javaScriptFunctions: [JavaScriptFunction] = []
    public var javaScriptFrames: JavaScriptFrameCounts?

    public var durationSeconds: Double { Double(endTime - startTime) / 1e6 }

    public init(pid: Int32, processName: String, samples: RawSamples, startTime: Int64, endTime: Int64, rate: Int,
                endReason: EndReason, threadsStarted: [Int32], threadsExited: [Int32], impact: SamplerImpact,
                liveMemoryReads: UInt64) {
        self.pid = pid
        self.processName = processName
        self.samples = samples
        self.startTime = startTime
        self.endTime = endTime
        self.rate = rate
        self.endReason = endReason
        self.threadsStarted = threadsStarted
        self.threadsExited = threadsExited
        self.impact = impact
        self.liveMemoryReads = liveMemoryReads
    }
}

/// How many JavaScript frames a `--mixed` capture named, over all samples.
public struct JavaScriptFrameCounts: Codable, Sendable, Equatable {
    public var named: Int
    /// Kept as `(JS unknown)`.
    public var unknown: Int

    public init(named: Int, unknown: Int) {
        self.named = named
        self.unknown = unknown
    }

    /// named / (named + unknown); nil without JavaScript frames.
    public var namedShare: Double? {
        named + unknown == 0 ? nil : Double(named) / Double(named + unknown)
    }
}
