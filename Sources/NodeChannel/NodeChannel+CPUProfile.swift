import DiagSupport
import Foundation
import NodeInspector
import Profiles

/// A CPU profile taken through the channel: the JSON text exactly as V8 produced it (so
/// `nodes` stays the first key) and the same profile decoded for the summary.
public struct NodeCPUProfileCapture {
    public let profileJSON: [UInt8]
    public let profile: CPUProfile
    /// True when Ctrl-C or SIGTERM ended the capture before `duration`.
    public let stoppedEarly: Bool
}

/// V8's sampling profiler (Profiler domain) on the main thread or one worker thread.
extension NodeChannel {
    /// Profiles for `duration` seconds (Ctrl-C ends early) at one sample every
    /// `intervalMicroseconds`; `worker` selects a worker thread. `progress` gets the elapsed seconds.
    public func captureCPUProfile(duration: Double, intervalMicroseconds: Int, worker: NodeWorkerInfo? = nil,
                                  progress: (Double) -> Void = { _ in }) throws -> NodeCPUProfileCapture {
        let target: InspectorChannel = worker.map { WorkerChannel(session: cdp, worker: $0) } ?? cdp
        try guarded {
            _ = try target.call("Profiler.enable", [:], timeout: 30)
            _ = try target.call("Profiler.setSamplingInterval", ["interval": intervalMicroseconds], timeout: 30)
            _ = try target.call("Profiler.start", [:], timeout: 30)
        }
        let start = MonotonicClock.seconds()
        try pump(seconds: duration) {
            progress(MonotonicClock.seconds() - start)
            return false
        }
        let stoppedEarly = StopRequest.isRequested
        let response = try guarded { try target.call("Profiler.stop", [:], timeout: 120) }
        _ = try? target.call("Profiler.disable", [:], timeout: 10)
        guard let range = try response.members(of: response.result).first(where: { $0.key == "profile" })?.value else {
            throw DiagError(.failure, "the inspector returned no profile")
        }
        let json = Array(response.bytes[range])
        let profile: CPUProfile
        do {
            profile = try CPUProfile.decode(Data(json))
        } catch {
            throw DiagError(.failure, "the profile V8 returned is not valid: \(error)")
        }
        return NodeCPUProfileCapture(profileJSON: json, profile: profile, stoppedEarly: stoppedEarly)
    }
}
