import DiagSupport
import Foundation
import NodeChannel
import Profiles

extension Top {
    /// One V8 profile per second through the private channel (Profiler.start, then
    /// Profiler.stop a second later); the channel removes everything it installed when it
    /// closes, on every way out.
    func runNode(_ screen: TopScreen) throws {
        let pid = target.pid
        try NodeChannel.withChannel(pid: pid, purpose: "diag top shows the JavaScript functions of a V8 target") { session in
            screen.header.notes = session.notes
            screen.header.cost = "V8's sampler runs in the target's own thread: no stops"
            try session.call("Profiler.enable")
            defer { _ = try? session.call("Profiler.disable", [:], timeout: 10) }
            try session.call("Profiler.setSamplingInterval", ["interval": max(1, 1_000_000 / rate)])
            var meter = ProcessCPUMeter(pid: pid)
            while screen.wantsMore {
                try session.call("Profiler.start")
                try session.pump(seconds: 1) {
                    screen.handleKeys()
                    return screen.quitRequested
                }
                let result = try session.call("Profiler.stop", [:], timeout: 60)
                if screen.quitRequested || StopRequest.isRequested { break }
                guard let object = result["profile"],
                      let profile = try? CPUProfile.decode(JSONSerialization.data(withJSONObject: object)) else {
                    throw DiagError(.failure, "the inspector returned no valid profile")
                }
                screen.header.cpuPercent = meter.percent()
                screen.add(TopWindow(end: MonotonicClock.seconds(), profile: profile, tid: pid, threadName: "main thread (JavaScript)"))
            }
        }
    }
}
