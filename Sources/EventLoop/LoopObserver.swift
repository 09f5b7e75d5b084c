import DiagSupport
import Foundation
import NodeChannel
import Profiles

/// Everything observed over one window.
public struct LoopObservation {
    /// V8's CPU profile of the main thread over the window (from the agent's install to
    /// its read), at `samplingIntervalMicroseconds`.
    public var profile: CPUProfile
    public var lag: LoopLag
    public var threadpool: ThreadpoolActivity?
    /// Why there is no threadpool activity, when there is none.
    public var threadpoolNote: String?
}

/// Watches a Node.js target's event loop for a window: installs the loop-delay agent, runs
/// V8's sampling profiler at a fine interval and, meanwhile, the native threadpool sampler
/// on its own thread; then stops the profiler and reads the agent. The agent is removed when
/// the channel closes.
public enum LoopObserver {
    /// V8's sampling interval: blocks come out within about two intervals of their length.
    public static let samplingIntervalMicroseconds = 500
    /// Time left to the channel's own work in the target before the window starts.
    static let settleSeconds = 0.2

    public static func observe(_ channel: NodeChannel, duration: Double, threadpool: ThreadpoolSampling?,
                               threadpoolNote: String?) throws -> LoopObservation {
        // Starting and stopping V8's profiler stalls the loop itself (it logs every code
        // object): the histogram is installed after the start and read before the stop, so
        // that it sees the same window as the profile and not diag's own stalls.
        try channel.call("Profiler.enable", [:], timeout: 30)
        try channel.call("Profiler.setSamplingInterval", ["interval": samplingIntervalMicroseconds], timeout: 30)
        try channel.call("Profiler.start", [:], timeout: 30)
        try channel.install(LoopAgent.name, source: LoopAgent.source, timeout: 30)
        // The agent's reply to the install is still being written for a moment; the window starts after it.
        try channel.pump(seconds: settleSeconds, until: { false })
        let windowStart = MonotonicClock.microseconds()
        threadpool?.start()
        // The sampler thread ends with the window (or a stop request); wait for it on every path.
        defer { _ = try? threadpool?.finish() }
        try channel.pump(seconds: duration, until: { false })
        let windowEnd = MonotonicClock.microseconds()
        let read = try channel.evaluate(LoopAgent.readExpression, awaitPromise: false, timeout: 30)
        let stopped = try channel.call("Profiler.stop", [:], timeout: 120)
        try channel.call("Profiler.disable", [:], timeout: 30)
        guard let lag = LoopAgent.decode(read) else {
            throw DiagError(.failure, "the loop-delay agent in the target returned no figures")
        }
        guard let profileObject = stopped["profile"] else { throw DiagError(.failure, "Profiler.stop returned no profile") }
        let profile = try CPUProfile.decode(try JSONSerialization.data(withJSONObject: profileObject))
            .trimmed(from: windowStart, to: windowEnd)
        var pool: ThreadpoolActivity?
        var note = threadpoolNote
        if let threadpool {
            do {
                pool = try threadpool.finish()
            } catch {
                note = "native sampling failed: \(error)"
            }
        }
        return LoopObservation(profile: profile, lag: lag, threadpool: pool, threadpoolNote: note)
    }
}
