import Foundation
import Testing
import TestSupport

extension NativeIntegration {
    /// `diag top` full-screen on a real terminal: a private tmux server's 120 × 40 window runs it
    /// on hot_threads.c (threads split-ab: hot_a 70% / hot_b 30%, solo-c: hot_c with the inlined
    /// mix_step), the test types keys and reads the screen.
    @Suite(.enabled(if: TmuxSession.isAvailable, "needs tmux")) struct TopScreenInTmux {
        static let selfColumns = " SELF%  TOTAL%    SELF   TOTAL  FUNCTION (by self)"
        static let totalColumns = "TOTAL%  SELF%   TOTAL    SELF  FUNCTION (by total)"

        @Test func keysSwitchThePauseAndQuitLeavesEveryThreadDetached() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let split = try #require(fixture.threadID(named: "split-ab"))
            let solo = try #require(fixture.threadID(named: "solo-c"))
            let tmux = try Self.window(topOf: fixture)
            defer { tmux.stop() }

            // The first frames: wait until the 5 s window holds enough samples to judge shares.
            let first = try #require(tmux.waitForScreen(timeout: 90) { screen in
                (TopHeader(screen)?.samples ?? 0) >= 200 && TopHeader.isConsistent(screen)
            }, "no full frame: \(tmux.screen())")
            let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first?.hasPrefix("diag top  process \(fixture.pid) (") == true)
            #expect(lines.first?.hasSuffix("99 Hz  native") == true, "\(first)")
            #expect(lines.contains("keys: q quit  t per-thread  s self/total  space pause"))
            #expect(lines.contains(Substring(Self.selfColumns)))
            let header = try #require(TopHeader(first))
            // Two busy threads: at least a fifth of a CPU on the busiest machine, at most every CPU.
            let cpuLimit = Double(ProcessInfo.processInfo.activeProcessorCount) * 100 + 15
            let cpu = try #require(header.cpuPercent)
            #expect(cpu >= 20 && cpu <= cpuLimit, "target CPU \(cpu)%")
            let cost = try #require(PtraceStopCost(header.cost), "\(header)")
            #expect(cost.p50 > 0 && cost.p99 >= cost.p50 && cost.stoppedPercent < 50, "\(cost)")
            let rows = topRows(in: first)
            #expect(Array(rows.prefix(3)).contains { $0.label == "hot_a (hot_threads.c)" }, "\(first)")
            #expect(Array(rows.prefix(3)).contains { $0.label == "mix_step (hot_threads.c)" }, "\(first)")

            // t: one section per thread, by self; the split of thread split-ab, once it has 300
            // samples, within ±12 points.
            try tmux.type("t")
            #expect(tmux.waitForScreen(timeout: 20) { $0.contains("thread \(split) split-ab: ") } != nil, "t did nothing: \(tmux.screen())")
            let perThread = try #require(tmux.waitForScreen(timeout: 60) { screen in
                (TopHeader.sectionSamples("thread \(split) split-ab: ", on: screen) ?? 0) >= 300
                    && screen.contains("thread \(solo) solo-c: ") && TopHeader.isConsistent(screen)
            }, "no per-thread sections: \(tmux.screen())")
            let splitRows = topRows(in: perThread, section: "thread \(split) split-ab:")
            #expect(splitRows.first?.label == "hot_a (hot_threads.c)", "\(perThread)")
            #expect(abs((splitRows.first?.firstShare ?? 0) - 0.70) <= 0.12, "\(perThread)")
            #expect(topRows(in: perThread, section: "thread \(solo) solo-c:").first?.label == "mix_step (hot_threads.c)", "\(perThread)")

            // s: by total; split_ab is on every stack of its thread.
            try tmux.type("s")
            let byTotal = try #require(tmux.waitForScreen(timeout: 30) { screen in
                screen.contains(Self.totalColumns) && screen.contains("thread \(split) split-ab: ") && TopHeader.isConsistent(screen)
            }, "no (by total) table: \(tmux.screen())")
            #expect(!byTotal.contains("FUNCTION (by self)"))
            let splitTotals = topRows(in: byTotal, section: "thread \(split) split-ab:")
            #expect(splitTotals.first { $0.label == "split_ab (hot_threads.c)" }?.firstShare == 1, "\(byTotal)")

            // space: paused, the screen stands still while diag keeps sampling; s still re-sorts it.
            try tmux.type(" ")
            let paused = try #require(tmux.waitForScreen(timeout: 30) { $0.hasPrefix("diag top  process") && $0.contains("  [PAUSED]\n") },
                                      "no [PAUSED]: \(tmux.screen())")
            usleep(1_500_000)
            let stillPaused = tmux.screen()
            #expect(stillPaused == paused, "the screen changed while paused")
            try tmux.type("s")
            let resorted = try #require(tmux.waitForScreen(timeout: 30) { $0.contains(Self.selfColumns) }, "\(tmux.screen())")
            #expect(resorted.contains("  [PAUSED]\n"))
            #expect(TopHeader(resorted)?.samples == TopHeader(paused)?.samples, "paused counts stay")
            try tmux.type(" ")
            #expect(tmux.waitForScreen(timeout: 30) { $0.hasPrefix("diag top  process") && !$0.contains("[PAUSED]") } != nil,
                    "still paused: \(tmux.screen())")

            // q: diag ends with status 0, the shell's screen is back, every thread is detached.
            try tmux.type("q")
            let after = try #require(tmux.waitForScreen(timeout: 30) { $0.contains("TERMINAL=") }, "diag did not quit: \(tmux.screen())")
            #expect(after.contains("EXIT=0\n"), "\(after)")
            #expect(after.contains("TERMINAL=RESTORED\n"), "\(after)")
            #expect(!after.contains("diag top  process"), "the alternate screen was left: \(after)")
            #expect(fixture.tracerPIDs.count == 3)
            #expect(fixture.isRunningUntraced, "TracerPid of every thread: \(fixture.tracerPIDs)")
        }

        /// Ctrl-C is a key in raw mode and quits like q; SIGTERM from elsewhere ends the view the
        /// same way: status 0 both, the terminal restored, every thread detached.
        @Test func ctrlCAndSIGTERMQuitWithStatus0() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            for ending in ["Ctrl-C", "SIGTERM"] {
                let tmux = try Self.window(topOf: fixture)
                defer { tmux.stop() }
                try #require(tmux.waitForScreen(timeout: 90) { TopHeader.isConsistent($0) } != nil, "\(ending): \(tmux.screen())")
                if ending == "Ctrl-C" {
                    try tmux.press("C-c")
                } else {
                    let diag = try #require(tmux.panePID.flatMap(Self.onlyChild), "no diag under the window's shell")
                    kill(diag, SIGTERM)
                }
                let after = try #require(tmux.waitForScreen(timeout: 30) { $0.contains("TERMINAL=") }, "\(ending): \(tmux.screen())")
                #expect(after.hasPrefix("EXIT=0\nTERMINAL=RESTORED\n"), "\(ending): \(after)")
                #expect(fixture.isRunningUntraced, "\(ending): TracerPid of every thread: \(fixture.tracerPIDs)")
            }
        }

        /// The target ending under the full-screen view: diag restores the terminal first, so
        /// its message stays on the shell's screen, and exits with status 2.
        @Test func theTargetExitingIsStatus2OnTheRestoredScreen() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let tmux = try Self.window(topOf: fixture)
            defer { tmux.stop() }
            try #require(tmux.waitForScreen(timeout: 90) { TopHeader.isConsistent($0) } != nil, "\(tmux.screen())")
            fixture.stop()
            let after = try #require(tmux.waitForScreen(timeout: 30) { $0.contains("TERMINAL=") }, "\(tmux.screen())")
            #expect(after.hasPrefix("diag: process \(fixture.pid) exited\nEXIT=2\nTERMINAL=RESTORED\n"), "\(after)")
        }

        /// A window running `diag top --sampler ptrace` on `fixture`; its shell prints, after
        /// diag, EXIT=status and whether the terminal's settings are back as they were.
        static func window(topOf fixture: FixtureProcess) throws -> TmuxSession {
            let top = [FixturePaths.diagExecutable, "top", String(fixture.pid), "--sampler", "ptrace"]
                .map(TmuxSession.shellQuoted).joined(separator: " ")
            return try TmuxSession(command: """
                settings=$(stty -g); \(top); echo EXIT=$?; \
                if [ "$(stty -g)" = "$settings" ]; then echo TERMINAL=RESTORED; else echo TERMINAL=CHANGED; fi; sleep 300
                """)
        }

        /// The one child of process `pid`.
        static func onlyChild(of pid: Int32) -> Int32? {
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8))?.split(separator: " ") ?? []
            return children.count == 1 ? Int32(children[0]) : nil
        }
    }
}

/// diag's stop-time cost in the header with the ptrace sampler: "ptrace stops p50 21.3 µs,
/// p99 60.1 µs (0.35% of thread time)".
struct PtraceStopCost: CustomStringConvertible {
    var p50: Double
    var p99: Double
    var stoppedPercent: Double

    init?(_ cost: String) {
        let pattern = #/ptrace stops p50 ([0-9.]+) µs, p99 ([0-9.]+) µs \(([0-9.]+)% of thread time\)/#
        guard let match = cost.wholeMatch(of: pattern), let p50 = Double(match.1), let p99 = Double(match.2),
              let stopped = Double(match.3) else { return nil }
        (self.p50, self.p99, stoppedPercent) = (p50, p99, stopped)
    }

    var description: String { "stops p50 \(p50) µs, p99 \(p99) µs, \(stoppedPercent)% of thread time" }
}

extension TopHeader {
    /// True for a whole frame (a capture can catch the screen mid-redraw): the header, each
    /// table, and the counts adding up: every thread's samples to the header's, and, by self,
    /// every table's self counts to its samples (all functions fit in 40 rows).
    static func isConsistent(_ screen: String) -> Bool {
        guard let header = TopHeader(screen), header.samples > 0, PtraceStopCost(header.cost) != nil else { return false }
        let bySelf = screen.contains("FUNCTION (by self)")
        func addsUp(_ rows: [TopRow], to samples: Int) -> Bool {
            !rows.isEmpty && (!bySelf || rows.map(\.firstSamples).reduce(0, +) == samples)
        }
        let headings = screen.split(separator: "\n").filter { $0.hasPrefix("thread ") }
        if headings.isEmpty { return addsUp(topRows(in: screen), to: header.samples) }
        var sum = 0
        for heading in headings {
            guard let colon = heading.lastIndex(of: ":"), let samples = sectionSamples(heading),
                  addsUp(topRows(in: screen, section: String(heading[...colon])), to: samples) else { return false }
            sum += samples
        }
        return sum == header.samples
    }

    /// N of a per-thread heading "thread TID NAME: N samples".
    static func sectionSamples(_ heading: Substring) -> Int? {
        guard let colon = heading.lastIndex(of: ":") else { return nil }
        return heading[heading.index(after: colon)...].split(separator: " ").first.flatMap { Int($0) }
    }

    /// N of the per-thread heading that starts with `prefix` ("thread TID NAME: ") on `screen`.
    static func sectionSamples(_ prefix: String, on screen: String) -> Int? {
        screen.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap(sectionSamples)
    }
}
