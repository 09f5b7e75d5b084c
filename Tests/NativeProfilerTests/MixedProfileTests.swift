import Foundation
import NativeProfiler
import Profiles
import Testing
import TargetProcess
import TestSupport

extension NativeIntegration {
    /// `diag cpu --mixed` on a real Node.js process whose time goes to one JavaScript function,
    /// hotLoop (mixed-crypto.js), calling node::crypto and OpenSSL in a loop: one stack from
    /// main through uv_run and V8 into hotLoop and on into the native hash code, without
    /// opening the inspector.
    @Suite struct MixedProfiles {
        /// A sample's stack as function names, root first, and the hotLoop nodes' script URL
        /// and 0-based line.
        struct Stacks {
            var samples: [[String]]
            var hotLoopURLs: Set<String>
            var hotLoopLines: Set<Int>

            init(cpuprofile path: String) throws {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let profile = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                let nodes = try #require(profile["nodes"] as? [[String: Any]])
                var names: [Int: String] = [:]
                var parents: [Int: Int] = [:]
                hotLoopURLs = []
                hotLoopLines = []
                for node in nodes {
                    let id = try #require(node["id"] as? Int)
                    let frame = try #require(node["callFrame"] as? [String: Any])
                    names[id] = frame["functionName"] as? String ?? ""
                    if names[id] == "hotLoop" {
                        hotLoopURLs.insert(frame["url"] as? String ?? "")
                        hotLoopLines.insert(frame["lineNumber"] as? Int ?? -1)
                    }
                    for child in node["children"] as? [Int] ?? [] { parents[child] = id }
                }
                samples = (profile["samples"] as? [Int] ?? []).map { leaf in
                    var stack: [String] = []
                    var current: Int? = leaf
                    while let id = current, let name = names[id] {
                        stack.append(name)
                        current = parents[id]
                    }
                    return stack.reversed()
                }
            }

            /// The share of samples with hotLoop on the stack.
            var hotLoopShare: Double {
                Double(samples.filter { $0.contains("hotLoop") }.count) / Double(max(samples.count, 1))
            }

            /// The share of samples where uv_run is above hotLoop and the hash code (node::crypto,
            /// OpenSSL's SHA-256 or EVP) below it: the whole mixed stack.
            var mainThroughJavaScriptIntoCryptoShare: Double {
                let complete = samples.filter { stack in
                    guard let index = stack.firstIndex(of: "hotLoop") else { return false }
                    let isCrypto: (String) -> Bool = { $0.contains("node::crypto") || $0.contains("SHA256") || $0.contains("sha256")
                        || $0.hasPrefix("EVP_") }
                    return stack[..<index].contains("uv_run") && stack[(index + 1)...].contains(where: isCrypto)
                }
                return Double(complete.count) / Double(max(samples.count, 1))
            }
        }

        static func startTarget(signalLog: String) throws -> FixtureProcess {
            try FixtureProcess.node("mixed-crypto.js", environment: ["FIXTURE_LIFETIME": "120", "SIGNAL_LOG": signalLog])
        }

        @Test(arguments: ["auto", "ptrace"])
        func hotLoopSitsBetweenUvRunAndTheNativeHashCode(sampler: String) throws {
            let directory = try FixturePaths.temporaryDirectory("diag-mixed")
            let signalLog = "\(directory)/signals"
            let fixture = try Self.startTarget(signalLog: signalLog)
            defer { fixture.stop() }
            let run = try CPURun.run(pid: fixture.pid, ["--mixed", "--sampler", sampler, "--duration", "3", "--rate", "199"])
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let report = try run.report()
            #expect(report.sampler == "mixed")
            let counts = try #require(report.javaScriptFrames)
            // Every JavaScript frame of this fixture lives in its script or node's own modules.
            #expect(counts.named > 0)
            #expect(try #require(report.namedJavaScriptFrameShare) >= 0.9, "\(counts)")

            let stacks = try Stacks(cpuprofile: run.outputPath)
            // 597 samples at most (perf counts the target's CPU time, which a loaded machine shares).
            #expect(stacks.samples.count >= 150, "\(stacks.samples.count) samples in 3 s at 199 Hz")
            // hotLoop takes ~75 % of the samples here; at least half, with load on the machine.
            #expect(stacks.hotLoopShare >= 0.5, "hotLoop in \(stacks.hotLoopShare) of the samples")
            // ~60 % of the samples show main → uv_run → hotLoop → hash code; at least 30 %.
            #expect(stacks.mainThroughJavaScriptIntoCryptoShare >= 0.3,
                    "uv_run → hotLoop → crypto in \(stacks.mainThroughJavaScriptIntoCryptoShare) of the samples")
            #expect(stacks.hotLoopURLs == ["file://\(FixturePaths.fixtures)/node/mixed-crypto.js"], "\(stacks.hotLoopURLs)")
            // DevTools' 0-based line of `function hotLoop() {`, as V8's own profiler gives it.
            let script = try String(contentsOfFile: "\(FixturePaths.fixtures)/node/mixed-crypto.js", encoding: .utf8)
            let definition = try #require(script.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.hasPrefix("function hotLoop(") })
            #expect(stacks.hotLoopLines == [definition], "\(stacks.hotLoopLines)")

            // No inspector: nothing listens, and no SIGUSR1 reached the process.
            #expect(ListeningSockets.of(pid: fixture.pid).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: signalLog), "the target got SIGUSR1")
            #expect(fixture.isRunningUntraced)
        }

        @Test func collapsedAndSpeedscopeCarryTheJavaScriptFrames() throws {
            let fixture = try Self.startTarget(signalLog: "/dev/null")
            defer { fixture.stop() }
            let collapsed = try CPURun.run(pid: fixture.pid, ["--mixed", "--duration", "1", "--format", "collapsed"],
                                           fileExtension: "collapsed")
            #expect(collapsed.result.status == 0, "\(collapsed.result.standardError)")
            let lines = try String(contentsOfFile: collapsed.outputPath, encoding: .utf8).split(separator: "\n")
            #expect(lines.contains { $0.contains(";uv_run;") && $0.contains(";hotLoop;") })
            let speedscope = try CPURun.run(pid: fixture.pid, ["--mixed", "--duration", "1", "--format", "speedscope"],
                                            fileExtension: "speedscope.json")
            #expect(speedscope.result.status == 0)
            #expect(try String(contentsOfFile: speedscope.outputPath, encoding: .utf8).contains("\"hotLoop\""))
        }

        @Test func devToolsOpensTheMixedProfile() throws {
            guard DevToolsCheck.isAvailable else { return }
            let fixture = try Self.startTarget(signalLog: "/dev/null")
            defer { fixture.stop() }
            let run = try CPURun.run(pid: fixture.pid, ["--mixed", "--duration", "3"])
            #expect(run.result.status == 0, "\(run.result.standardError)")
            let (accepted, checked) = try DevToolsCheck.run("cpuprofile", run.outputPath, extra: ["--top", "40"])
            #expect(accepted, "\(checked)")
            let model = try #require(checked["profileModel"] as? [String: Any])
            let duration = try #require(model["durationMs"] as? Double)
            let functions = try #require(model["topBySelfTime"] as? [[String: Any]])
            let hotLoop = try #require(functions.first { $0["functionName"] as? String == "hotLoop" }, "\(functions)")
            // DevTools sums hotLoop's total time like diag counts its samples: at least half the profile.
            #expect((hotLoop["totalTimeMs"] as? Double ?? 0) / duration >= 0.5, "\(hotLoop) of \(duration) ms")
            #expect((hotLoop["url"] as? String ?? "").hasSuffix("/mixed-crypto.js"))
        }

        @Test func aNativeProcessIsRefusedWithExitFour() throws {
            let fixture = try FixtureProcess.native("spin")
            defer { fixture.stop() }
            let result = try Command.diag(["cpu", String(fixture.pid), "--mixed", "--duration", "1", "-o", "-"])
            #expect(result.status == 4)
            #expect(result.standardError.contains("not a Node.js process"))
            #expect(fixture.isRunningUntraced)
        }
    }
}
