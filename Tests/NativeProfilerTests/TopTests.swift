import Foundation
import Testing
import TestSupport

extension NativeIntegration {
    /// `diag top` on a native fixture compiled -O2 -g -fomit-frame-pointer, in plain-text mode.
    @Suite struct TopPlainText {
        /// hot_threads.c: thread split-ab spends 70% of its samples in hot_a, 30% in hot_b.
        /// Over the 5 s window of the last frame the shares are within ±10 points.
        @Test func theHotFunctionTopsTheSelfListOfItsThread() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let split = try #require(fixture.threadID(named: "split-ab"))
            let result = try Command.diag(["top", String(fixture.pid), "--iterations", "6", "--per-thread", "--rate", "199"], timeout: 60)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(!result.standardOutput.contains("\u{1B}"), "plain frames have no escape codes")
            #expect(result.standardOutput.components(separatedBy: "diag top  process \(fixture.pid)").count - 1 == 6)
            let rows = topRows(in: result.standardOutput, section: "thread \(split) split-ab:")
            try #require(rows.count >= 2, "\(result.standardOutput)")
            #expect(rows[0].label == "hot_a (hot_threads.c)")
            #expect(abs(rows[0].firstShare - 0.70) <= 0.10, "hot_a self share \(rows[0].firstShare)")
            #expect(rows[1].label == "hot_b (hot_threads.c)")
            #expect(abs(rows[1].firstShare - 0.30) <= 0.10, "hot_b self share \(rows[1].firstShare)")
            let solo = topRows(in: result.standardOutput, section: "thread \(try #require(fixture.threadID(named: "solo-c"))) solo-c:")
            #expect(solo.first?.label == "mix_step (hot_threads.c)", "the inlined loop body is the leaf")
            #expect(fixture.isRunningUntraced)
        }

        /// --thread limits the view to one thread; --sort total puts the total column first.
        @Test func oneThreadByTotalWithPtrace() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let split = try #require(fixture.threadID(named: "split-ab"))
            let result = try Command.diag(["top", String(fixture.pid), "--thread", String(split), "--sampler", "ptrace",
                                           "--sort", "total", "--duration", "3s"], timeout: 60)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("TOTAL%  SELF%"))
            #expect(result.standardOutput.contains("ptrace stops p50 "))
            let rows = topRows(in: result.standardOutput)
            #expect(rows.first?.firstShare == 1, "split_ab is on every stack: \(result.standardOutput)")
            #expect(rows.contains { $0.label == "split_ab (hot_threads.c)" })
            #expect(!rows.contains { $0.label.hasPrefix("mix_step") }, "only thread split-ab was sampled")
            #expect(fixture.isRunningUntraced)
        }

        @Test func aMissingProcessIsExitStatus2() throws {
            let result = try Command.diag(["top", "999999999", "--iterations", "1"])
            #expect(result.status == 2)
            #expect(result.standardError == "diag: no such process 999999999\n")
        }

        @Test(.enabled(if: geteuid() == 0, "needs root to switch to an unprivileged user"))
        func aProcessOfAnotherUserIsExitStatus3() throws {
            let fixture = try FixtureProcess.native("spin")
            let result = try Command.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                              FixturePaths.diagExecutable, "top", String(fixture.pid), "--iterations", "1"])
            #expect(result.status == 3, "\(result.standardError)")
            #expect(result.standardError.contains("permission denied"))
            #expect(fixture.isRunningUntraced)
        }
    }
}
