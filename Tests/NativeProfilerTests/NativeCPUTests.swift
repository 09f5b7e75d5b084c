import Foundation
import NativeProfiler
import Profiles
import Testing
import TestSupport

extension NativeIntegration {
    /// `diag cpu --native` on fixtures compiled -O2 -g -fomit-frame-pointer.
    @Suite struct CPUSampling {
        /// hot_threads.c: thread split-ab spends 70% in hot_a and 30% in hot_b, thread solo-c
        /// all its time in hot_c, whose loop body is the inlined mix_step. Shares within ±7 points,
        /// with either sampling method.
        @Test(arguments: SamplingMethod.allCases)
        func sharesHotLinesAndInlineFramesOfTwoThreads(method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let fixture = try FixtureProcess.native("hot_threads")
            // On a busy two-core machine a thread takes milliseconds to stop (it must get a CPU first), so
            // fewer samples are taken than asked for: sample long enough for about 3σ of margin.
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "8", "--rate", "299", "--sampler", method.option])
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let report = try run.report()

            let split = try report.thread(named: "split-ab")
            #expect(split.samples > 100)
            #expect(abs(split.selfShare(of: "hot_a") - 0.70) <= 0.07, "hot_a share \(split.selfShare(of: "hot_a"))")
            #expect(abs(split.selfShare(of: "hot_b") - 0.30) <= 0.07, "hot_b share \(split.selfShare(of: "hot_b"))")
            let solo = try report.thread(named: "solo-c")
            let hotC = solo.selfShare(of: "hot_c") + solo.selfShare(of: "mix_step")
            #expect(abs(hotC - 1.0) <= 0.07, "hot_c (with inlined mix_step) share \(hotC)")

            let hotA = try #require(report.topBySelf.first { $0.function == "hot_a" })
            #expect(hotA.file?.hasSuffix("hot_threads.c") == true)
            #expect(hotA.line == (try FixtureSource.line(containing: "HOT_A_LINE", in: "hot_threads")))
            let mix = try #require(report.topBySelf.first { $0.function == "mix_step" })
            #expect(mix.line == (try FixtureSource.line(containing: "MIX_STEP_LINE", in: "hot_threads")))

            // The inlined function is its own node, a child of the function it was inlined into.
            let profile = try run.cpuProfile()
            let byID = Dictionary(uniqueKeysWithValues: profile.nodes.map { ($0.id, $0) })
            let mixNode = try #require(profile.nodes.first { $0.callFrame.functionName == "mix_step" })
            let parent = try #require(profile.nodes.first { ($0.children ?? []).contains(mixNode.id) })
            #expect(parent.callFrame.functionName == "hot_c")
            #expect(mixNode.positionTicks?.first?.line == mix.line)
            // Several threads: each under its own `name (tid)` node below the root.
            let threadNodes = (profile.nodes[0].children ?? []).compactMap { byID[$0]?.callFrame.functionName }
            #expect(threadNodes.contains { $0.hasPrefix("split-ab (") })
            #expect(threadNodes.contains { $0.hasPrefix("solo-c (") })

            #expect(report.impact.method == method)
            #expect(report.impact.samplesTaken > 0)
            // ptrace stops each thread per sample; perf_event never does.
            #expect((report.impact.stopMicroseconds.p50 > 0) == (method == .ptrace))
            #expect(fixture.isRunningUntraced)
        }

        @Test func idleThreadsAreSampledOnlyWithIdle() throws {
            let fixture = try FixtureProcess.native("steady_stacks")
            let withoutIdle = try CPURun.run(pid: fixture.pid, ["--duration", "1.5"]).report()
            #expect(try withoutIdle.thread(named: "reader").samples == 0)
            #expect(try withoutIdle.thread(named: "spinner").samples > 50)

            #expect(withoutIdle.impact.method == (PerfEventSupport.isAvailable ? .perfEvent : .ptrace))
            let withIdle = try CPURun.run(pid: fixture.pid, ["--duration", "1.5", "--idle"]).report()
            // --idle needs ptrace, which can stop a thread that is not on a CPU.
            #expect(withIdle.impact.method == .ptrace)
            let reader = try withIdle.thread(named: "reader")
            #expect(reader.samples > 50)
            // Nearly all: a thread woken by the previous sample's interrupt may still be
            // runnable (restarting its read) at the next tick.
            #expect(Double(reader.idleSamples) >= Double(reader.samples) * 0.95)
            #expect(reader.selfShare(of: "(idle)") >= 0.95)
            #expect(fixture.isRunningUntraced)
        }

        @Test func oneThreadWithThreadOptionHasNoThreadNodes() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let tid = try #require(fixture.threadID(named: "solo-c"))
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "1.5", "--thread", String(tid)])
            let report = try run.report()
            #expect(report.threads.map(\.tid) == [tid])
            let profile = try run.cpuProfile()
            let topNames = (profile.nodes[0].children ?? []).compactMap { id in profile.nodes.first { $0.id == id }?.callFrame.functionName }
            #expect(!topNames.contains { $0.contains("(\(tid))") })
            #expect(profile.nodes.contains { $0.callFrame.functionName == "hot_c" })
            #expect(fixture.isRunningUntraced)
        }

        @Test(arguments: SamplingMethod.allCases)
        func samplesAtOneThousandHertz(method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let fixture = try FixtureProcess.native("hot_threads")
            let hotThreads = try ["split-ab", "solo-c"].map { try #require(fixture.threadID(named: $0)) }
            let cpuBefore = hotThreads.map { fixture.cpuNanoseconds(tid: $0) ?? 0 }.reduce(0, +)
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "3", "--rate", "1000", "--format", "collapsed",
                                                        "--sampler", method.option], fileExtension: "folded")
            let cpuAfter = hotThreads.map { fixture.cpuNanoseconds(tid: $0) ?? 0 }.reduce(0, +)
            let report = try run.report()
            #expect(run.result.status == 0)
            #expect(report.rate == 1000)
            switch method {
            case .ptrace:
                // On a loaded two-core machine not every tick is taken; the ones missed are reported.
                #expect(report.sampleCount > 150)
                #expect(report.impact.samplesTaken + report.impact.failedSamples > 150)
                // The hot threads' stack pointers stay put: the copy taken around the previous one
                // serves, and only each thread's first sample reads the stack a second time.
                #expect(report.impact.stackRereads <= 4, "\(report.impact.stackRereads) of \(report.impact.samplesTaken)")
            case .perfEvent:
                // One sample per millisecond of each thread's CPU time, none dropped or failed. The
                // CPU time read around diag's run also covers its start-up and post-processing
                // (up to a few hundred ms), hence the lower bound; more samples than CPU
                // milliseconds would be duplicates.
                let hotSamples = try hotThreads.map { tid in try #require(report.threads.first { $0.tid == tid }).samples }.reduce(0, +)
                let cpuMilliseconds = Double(cpuAfter - cpuBefore) / 1e6
                #expect(Double(hotSamples) >= 0.75 * cpuMilliseconds, "\(hotSamples) samples, \(cpuMilliseconds) ms on CPU")
                #expect(Double(hotSamples) <= 1.02 * cpuMilliseconds, "\(hotSamples) samples, \(cpuMilliseconds) ms on CPU")
                #expect(report.impact.lostSamples == 0 && report.impact.failedSamples == 0)
            }
            let folded = try String(contentsOfFile: run.outputPath, encoding: .utf8)
            #expect(folded.split(separator: "\n").allSatisfy { $0.split(separator: " ").last.flatMap { Int($0) } != nil })
            #expect(folded.contains("hot_c;mix_step "))
            #expect(fixture.isRunningUntraced)
        }

        @Test func strippedBinaryGivesModuleOffsetsAndDynamicSymbolNames() throws {
            let stripped = try FixtureProcess.native("hot_threads", extraFlags: ["-s"])
            let report = try CPURun.run(pid: stripped.pid, ["--duration", "1.5"]).report()
            let leaves = try report.thread(named: "split-ab").topFunctions.map(\.function)
            #expect(!leaves.isEmpty)
            #expect(leaves.allSatisfy { $0.contains("hot_threads-") && $0.contains("+0x") }, "\(leaves)")
            #expect(report.topByTotal.contains { $0.function == "start_thread" })
            #expect(report.topByTotal.allSatisfy { !$0.function.isEmpty })

            let exported = try FixtureProcess.native("hot_threads", extraFlags: ["-s", "-rdynamic"])
            let named = try CPURun.run(pid: exported.pid, ["--duration", "1.5"]).report()
            #expect(try named.thread(named: "split-ab").selfShare(of: "hot_a") > 0.5)
            #expect(stripped.isRunningUntraced && exported.isRunningUntraced)
        }

        /// `--native` on Node.js: JavaScript frames are JIT code, unwound by frame pointer and
        /// named from the perf map that `node --perf-basic-prof` writes.
        @Test func nodeWithPerfMapShowsJavaScriptFunctions() throws {
            guard Command.exists("node") else { return }
            // --perf-basic-prof also writes a V8 log into the working directory unless told otherwise.
            let fixture = try FixtureProcess.node("hot-loop.js", nodeFlags: [
                "--perf-basic-prof", "--logfile=/dev/null", "--no-logfile-per-isolate",
            ])
            defer { unlink("/tmp/perf-\(fixture.pid).map") }
            let report = try CPURun.run(pid: fixture.pid, ["--native", "--duration", "2"]).report()
            let main = try #require(report.threads.first { $0.tid == fixture.pid })
            let top = try #require(main.topFunctions.first)
            #expect(top.function.contains("hotLoop"), "\(main.topFunctions.map(\.function))")
            #expect(top.selfShare > 0.5)
            #expect(fixture.isRunningUntraced)
        }

        /// The stack pointer of "mover" jumps by 12 KiB between samples: with ptrace the copy
        /// taken around the previous one misses and is taken again; with either method every
        /// stack unwinds whole.
        @Test(arguments: SamplingMethod.allCases)
        func stackPointerMovingBetweenSamplesStillUnwindsWholeStacks(method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let fixture = try FixtureProcess.native("moving_stack")
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "2", "--rate", "500", "--format", "collapsed",
                                                        "--sampler", method.option], fileExtension: "folded")
            let report = try run.report()
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let folded = try String(contentsOfFile: run.outputPath, encoding: .utf8)
            var counts: [String: Int] = [:]
            for line in folded.split(separator: "\n") where line.contains("mover") {
                guard let space = line.lastIndex(of: " "), let count = Int(line[line.index(after: space)...]) else { continue }
                let frames = line[..<space].split(separator: ";").map(String.init)
                let leaf = frames.last ?? ""
                let whole = leaf == "deep_leaf" ? frames.suffix(5) == ["mover", "deep_1", "deep_2", "deep_3", "deep_leaf"]
                    : leaf == "shallow_leaf" ? frames.suffix(2) == ["mover", "shallow_leaf"] : false
                counts[whole ? leaf : "other", default: 0] += count
            }
            let total = counts.values.reduce(0, +)
            #expect(total > 200, "\(counts)")
            // Both phases run the same loop; allow for samples landing between calls.
            #expect(Double(counts["deep_leaf", default: 0]) > 0.3 * Double(total), "\(counts)")
            #expect(Double(counts["shallow_leaf", default: 0]) > 0.3 * Double(total), "\(counts)")
            #expect(Double(counts["other", default: 0]) < 0.05 * Double(total), "\(counts)\n\(folded)")
            if method == .ptrace {
                #expect(report.impact.stackRereads > 20, "\(report.impact.stackRereads) of \(report.impact.samplesTaken)")
                #expect(report.impact.stackRereads < report.impact.samplesTaken)
            }
            #expect(fixture.isRunningUntraced)
        }

        /// The main thread leaves with pthread_exit during the capture: its zombie must not keep
        /// diag waiting (with ptrace, the kernel reports it only after the other threads, which
        /// diag reaps), nor end a perf_event capture.
        @Test(arguments: [["--idle"], ["--sampler", "perf"]])
        func zombieMainThreadDoesNotHangTheCapture(options: [String]) throws {
            guard !options.contains("perf") || PerfEventSupport.isAvailable else { return }
            let fixture = try FixtureProcess.native("leader_exits", arguments: ["30", "0.3"])
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "1.5"] + options, timeout: 20)
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let report = try run.report()
            #expect(report.ended == "completed")
            #expect(try report.thread(named: "worker").samples > 50)
            #expect(try report.thread(named: "worker").selfShare(of: "worker_spin") > 0.8)
            #expect(fixture.isRunningUntraced)
        }

        @Test(arguments: SamplingMethod.allCases)
        func targetExitingMidCaptureStillGivesAValidFile(method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let fixture = try FixtureProcess.native("hot_threads", arguments: ["1.0"])
            let run = try CPURun.run(pid: fixture.pid, ["--duration", "10", "--sampler", method.option])
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let report = try run.report()
            #expect(report.ended == "target exited")
            #expect(report.messages.contains { $0.contains("exited after") })
            #expect(report.durationSeconds < 5)
            let profile = try run.cpuProfile()
            #expect(profile.samples.count > 10)
            #expect(fixture.waitForExit(timeout: 5) != nil)
        }
    }
}
