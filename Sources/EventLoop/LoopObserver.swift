import DiagSupport
import Foundation
import NodeChannel
import Profiles

/// Everything observed over one window.
public struct LoopObservation {
    /// V8's CPU profile of the main thread over the window, at `samplingIntervalMicroseconds`.
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

    public static func observe(_ channel: NodeChannel, duration: Double, threadpool: ThreadpoolSampling?,
                               threadpoolNote: String?) throws -> LoopObservation {
        try channel.install(LoopAgent.name, source: LoopAgent.source, timeout: 30)
        try channel.call("Profiler.enable", [:], timeout: 30)
        try channel.call("Profiler.setSamplingInterval", ["interval": samplingIntervalMicroseconds], timeout: 30)
        try channel.call("Profiler.start", [:], timeout: 30)
        threadpool?.start()
        // The sampler thread ends with the window (or a stop request); wait for it on every path.
        defer { _ = try? threadpool?.finish() }
        try channel.pump(seconds: duration, until: { false })
        let stopped = try channel.call("Profiler.stop", [:], timeout: 120)
        try channel.call("Profiler.disable", [:], timeout: 30)
        let read = try channel.evaluate(LoopAgent.readExpression, awaitPromise: false, timeout: 30)
        guard let lag = LoopAgent.decode(read) else {
            throw DiagError(.failure, "the loop-delay agent in the target returned no figures")
        }
        guard let profileObject = stopped["profile"] else { throw DiagError(.failure, "Profiler.stop returned no profile") }
        let profile = try CPUProfile.decode(try JSONSerialization.data(withJSONObject: profileObject))
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
