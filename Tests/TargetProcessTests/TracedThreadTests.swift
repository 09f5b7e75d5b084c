import Foundation
import Glibc
import TargetProcess
import Testing
import TestSupport

/// TracedThread on a thread that receives signals: a traced thread stops for each signal
/// until its tracer lets it go. When that signal stop is what `interruptAndWait()` finds,
/// the interrupt is still pending; `resume()` must deliver the signal and also end the stop
/// the interrupt causes next, or the thread stays stopped.
@Suite struct TracedThreadTests {
    @Test func signalsRacingInterruptsAreDeliveredAndTheThreadRuns() throws {
        let directory = try FixturePaths.temporaryDirectory("diag-traced")
        let countFile = "\(directory)/signals"
        let fixture = try FixtureProcess.native("churn_threads", arguments: [countFile])
        let busy = try #require(fixture.threadIDs.first { tid in
            (try? String(contentsOfFile: "/proc/\(fixture.pid)/task/\(tid)/comm", encoding: .utf8))?.hasPrefix("busy") == true
        })
        let rounds = 100
        do {
            let thread = try TracedThread(seizing: busy)
            var stuck = 0
            for _ in 0..<rounds {
                _ = Self.tgkill(fixture.pid, busy, SIGUSR1)
                // Let the signal stop the thread first.
                let deadline = Date().addingTimeInterval(1)
                while Self.state(fixture.pid, busy) != "t" && Date() < deadline { usleep(200) }
                try thread.interruptAndWait()
                try thread.resume()
                usleep(3_000)
                if Self.state(fixture.pid, busy) == "t" { stuck += 1 }
            }
            #expect(stuck == 0, "the thread stayed stopped after resume() in \(stuck) of \(rounds) rounds")
            thread.detach()
        }
        usleep(50_000)
        let seen = Int((try String(contentsOfFile: countFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(seen >= rounds * 9 / 10, "\(seen) of \(rounds) signals delivered")
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 } && fixture.isRunning)
    }

    static func state(_ pid: Int32, _ tid: Int32) -> Substring? {
        (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8))?
            .split(separator: ")").last?.split(separator: " ").first
    }

    /// glibc's tgkill(2) wrapper (not in Swift's Glibc module): a signal to one thread, not
    /// to whichever thread of the process the kernel picks.
    static let tgkill: @convention(c) (Int32, Int32, Int32) -> Int32 = {
        let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "tgkill")  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32, Int32) -> Int32).self)
    }()
}
