/// What sampling cost the target, as diag reports it after every capture: how it was
/// sampled, how long a thread stayed stopped per sample (ptrace), and how many samples came
/// late, failed or were lost.
public struct SamplerImpact: Codable, Sendable {
    /// perf_event (threads never stopped: the stop figures are 0) or ptrace.
    public var method: SamplingMethod
    /// Per-sample stop time in µs: from the thread being seen stopped to it running again.
    public var stopMicroseconds: Percentiles
    /// Where the stop time went, per phase (zero for the naive unwind-while-stopped reference).
    public var stopPhasesMicroseconds: StopPhases
    /// Per-sample time from PTRACE_INTERRUPT to the thread being stopped, in µs. A runnable
    /// thread that is waiting for a CPU stops only once it gets one, so on a busy machine
    /// this grows with the scheduler's latency; the thread was not running meanwhile anyway.
    public var interruptLatencyMicroseconds: Percentiles
    /// Snapshots taken (one thread stopped once each).
    public var samplesTaken: Int
    /// Samples taken more than half an interval after their scheduled time.
    public var lateSamples: Int
    /// Ticks skipped because the sampler fell behind by more than a whole interval.
    public var missedTicks: Int
    /// Snapshots that failed (ptrace refused, or no frame could be unwound).
    public var failedSamples: Int
    /// Samples the kernel dropped because diag did not read a perf_event buffer in time.
    public var lostSamples: Int
    /// Threads that started during the capture but could not be sampled (perf_event refused).
    public var unsampledThreads: Int
    /// Samples whose stack was copied a second time while the thread was stopped, because the
    /// copy taken around its previous stack pointer missed (the first sample of each thread, and
    /// those after the stack pointer moved more than 4 KiB).
    public var stackRereads: Int
    /// Stopped time summed over all samples, as a share of the capture's duration (per thread sampled).
    public var stoppedShare: Double

    public init(method: SamplingMethod, stopMicroseconds: Percentiles, stopPhasesMicroseconds: StopPhases = StopPhases(),
                interruptLatencyMicroseconds: Percentiles, samplesTaken: Int, lateSamples: Int, missedTicks: Int,
                failedSamples: Int, lostSamples: Int = 0, unsampledThreads: Int = 0, stackRereads: Int = 0,
                stoppedShare: Double) {
        self.method = method
        self.stopMicroseconds = stopMicroseconds
        self.stopPhasesMicroseconds = stopPhasesMicroseconds
        self.interruptLatencyMicroseconds = interruptLatencyMicroseconds
        self.samplesTaken = samplesTaken
        self.lateSamples = lateSamples
        self.missedTicks = missedTicks
        self.failedSamples = failedSamples
        self.lostSamples = lostSamples
        self.unsampledThreads = unsampledThreads
        self.stackRereads = stackRereads
        self.stoppedShare = stoppedShare
    }

    /// The phases of a stop, in µs: reading the registers (which includes waiting for the
    /// thread to leave its CPU), copying the stack, and resuming the thread.
    public struct StopPhases: Codable, Sendable {
        public var registers: Percentiles
        public var stackCopy: Percentiles
        public var resume: Percentiles

        public init(registers: Percentiles = Percentiles([]), stackCopy: Percentiles = Percentiles([]),
                    resume: Percentiles = Percentiles([])) {
            self.registers = registers
            self.stackCopy = stackCopy
            self.resume = resume
        }
    }

    /// p50, p99 and maximum of a set of durations.
    public struct Percentiles: Codable, Sendable {
        public var p50: Double
        public var p99: Double
        public var max: Double

        public init(_ values: [Double]) {
            let sorted = values.sorted()
            func at(_ fraction: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
            }
            p50 = at(0.5)
            p99 = at(0.99)
            max = sorted.last ?? 0
        }
    }
}
