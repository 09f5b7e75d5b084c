import DiagSupport
import Profiles

/// The summary of a native CPU capture, printed after it as text or, with `--json`, as JSON.
public struct NativeCPUReport: Codable, Sendable {
    /// One thread: its samples and its own top functions by self time.
    public struct ThreadRow: Codable, Sendable {
        public var tid: Int32
        public var name: String
        public var samples: Int
        public var idleSamples: Int
        public var topFunctions: [FunctionStatistics.Row]
    }

    /// What symbolization cost.
    public struct Symbolization: Codable, Sendable {
        public var uniqueAddresses: Int
        public var milliseconds: Double
        public var microsecondsPerAddress: Double
    }

    public var pid: Int32
    public var process: String
    public var sampler = "native"
    /// Where the profile was written (`-` for standard output).
    public var output: String
    public var format: String
    public var durationSeconds: Double
    public var rate: Int
    /// `completed`, `stopped by SIGINT`, `target exited`, `thread exited`.
    public var ended: String
    /// What happened during the capture, in words (threads started or exited, early end).
    public var messages: [String]
    public var sampleCount: Int
    public var threads: [ThreadRow]
    public var topBySelf: [FunctionStatistics.Row]
    public var topByTotal: [FunctionStatistics.Row]
    public var impact: SamplerImpact
    public var symbolization: Symbolization
    /// Time from the end of sampling to the profile being ready to write.
    public var postProcessingMilliseconds: Double
    /// Unwinder memory reads that missed the stack copies.
    public var liveMemoryReads: UInt64
    /// The modules the samples touched, with build-ids.
    public var modules: [ModuleSummary]
    /// `--mixed` only: JavaScript frames named, and kept as `(JS unknown)`, over all samples.
    public var javaScriptFrames: JavaScriptFrameCounts?
    /// `--mixed` only: the share (0 to 1) of JavaScript frames that were named; absent
    /// when no sample held a JavaScript frame.
    public var namedJavaScriptFrameShare: Double?

    public init(capture: NativeCapture, assembled: ProfileAssembler.Result, output: String, format: String,
                postProcessingSeconds: Double, limit: Int = 10) {
        let profile = assembled.profile
        pid = capture.pid
        process = capture.processName
        self.output = output
        self.format = format
        durationSeconds = capture.durationSeconds
        rate = capture.rate
        ended = NativeCPUReport.describe(capture.endReason)
        messages = NativeCPUReport.messages(for: capture)
        let all = FunctionStatistics(profile)
        sampleCount = all.sampleCount
        topBySelf = Array(all.bySelf.prefix(limit))
        topByTotal = Array(all.byTotal.prefix(limit))
        threads = capture.samples.threads.map { thread in
            let own = FunctionStatistics(profile, threads: [thread.tid])
            return ThreadRow(tid: thread.tid, name: thread.name, samples: thread.samples.count,
                             idleSamples: thread.samples.filter(\.isIdle).count, topFunctions: Array(own.bySelf.prefix(5)))
        }
        impact = capture.impact
        symbolization = Symbolization(
            uniqueAddresses: assembled.uniqueAddresses, milliseconds: assembled.symbolizationSeconds * 1000,
            microsecondsPerAddress: assembled.uniqueAddresses > 0
                ? assembled.symbolizationSeconds * 1e6 / Double(assembled.uniqueAddresses) : 0)
        postProcessingMilliseconds = postProcessingSeconds * 1000
        liveMemoryReads = capture.liveMemoryReads
        modules = assembled.modules
        if let counts = capture.javaScriptFrames {
            sampler = "mixed"
            javaScriptFrames = counts
            namedJavaScriptFrameShare = counts.namedShare
        }
    }

    static func describe(_ reason: NativeCapture.EndReason) -> String {
        switch reason {
        case .completed: return "completed"
        case .stopRequested(let signal): return signal == 2 ? "stopped by SIGINT" : signal == 15 ? "stopped by SIGTERM" : "stopped by signal \(signal)"
        case .targetExited: return "target exited"
        case .threadExited: return "thread exited"
        }
    }

    static func messages(for capture: NativeCapture) -> [String] {
        var result = capture.notes
        let elapsed = formatDecimal(capture.durationSeconds)
        switch capture.endReason {
        case .completed: break
        case .stopRequested: result.append("capture stopped early after \(elapsed)s; the profile covers that time")
        case .targetExited: result.append("process \(capture.pid) exited after \(elapsed)s; the profile covers the time until then")
        case .threadExited: result.append("the sampled thread exited after \(elapsed)s; the profile covers the time until then")
        }
        if !capture.threadsStarted.isEmpty {
            result.append("\(capture.threadsStarted.count) thread(s) started during the capture and were sampled too")
        }
        let exited = capture.threadsExited.count
        if exited > 0 && capture.endReason != .targetExited {
            result.append("\(exited) thread(s) exited during the capture")
        }
        let impact = capture.impact
        if impact.failedSamples > 0 {
            let how = impact.method == .ptrace ? "thread could not be stopped or unwound" : "no user registers, or nothing unwound"
            result.append("\(impact.failedSamples) sample(s) failed (\(how))")
        }
        if impact.lostSamples > 0 {
            result.append("the kernel dropped \(impact.lostSamples) sample(s): diag did not read its buffers in time")
        }
        if impact.unsampledThreads > 0 {
            result.append("\(impact.unsampledThreads) thread(s) started during the capture could not be sampled (perf_event refused)")
        }
        return result
    }
}
