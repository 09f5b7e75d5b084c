import Foundation
import Testing
import TestSupport

extension NativeIntegration {
    /// The real Chrome DevTools (headless, ../shared/devtools-check) opens diag's native
    /// profiles and computes the same split. Skipped when chromium or playwright is missing.
    @Suite struct DevToolsOpensNativeProfiles {
        static let checker = URL(fileURLWithPath: FixturePaths.repository)
            .deletingLastPathComponent().appendingPathComponent("shared/devtools-check/devtools_check.py").path

        static var isAvailable: Bool {
            FileManager.default.fileExists(atPath: checker) && Command.exists("chromium")
                && (try? Command.run("/usr/bin/env", ["python3", "-c", "import playwright"]))?.status == 0
        }

        /// Runs the checker on `path` as `kind` and returns its JSON. Checks run one at a time
        /// across test suites and processes (a lock file), since each starts a browser.
        static func check(_ kind: String, _ path: String) throws -> [String: Any] {
            let result = try Command.run("/usr/bin/env", ["flock", "/tmp/diag-devtools-check.lock",
                                                          "python3", checker, kind, path, "--top", "10"], timeout: 240)
            let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            return try #require(json, "devtools-check gave no JSON: \(result.standardError)")
        }

        @Test func cpuprofileAndTraceLoadWithTheirThreadsAndSplit() throws {
            guard Self.isAvailable else { return }
            let fixture = try FixtureProcess.native("hot_threads")
            let profile = try CPURun.run(pid: fixture.pid, ["--duration", "4", "--rate", "299"])
            let trace = try CPURun.run(pid: fixture.pid, ["--duration", "2", "--format", "trace"], fileExtension: "trace.json")
            #expect(profile.result.status == 0 && trace.result.status == 0)

            let cpuprofile = try Self.check("cpuprofile", profile.outputPath)
            #expect(cpuprofile["ok"] as? Bool == true, "\(cpuprofile)")
            let model = try #require(cpuprofile["profileModel"] as? [String: Any])
            let functions = try #require(model["topBySelfTime"] as? [[String: Any]])
            func selfMs(_ name: String) -> Double {
                functions.first { $0["functionName"] as? String == name }?["selfTimeMs"] as? Double ?? 0
            }
            let split = selfMs("hot_a") / max(selfMs("hot_a") + selfMs("hot_b"), 1)
            #expect(abs(split - 0.70) <= 0.07, "DevTools' hot_a share of split-ab: \(split)")
            #expect(selfMs("mix_step") > 0)

            let traced = try Self.check("trace", trace.outputPath)
            #expect(traced["ok"] as? Bool == true, "\(traced)")
            let panel = try #require(traced["performancePanel"] as? [String: Any])
            let threads = try #require(panel["threads"] as? [[String: Any]])
            for name in ["split-ab", "solo-c"] {
                let thread = threads.first { $0["name"] as? String == name }
                #expect((thread?["entries"] as? Int ?? 0) > 0, "track \(name) in \(threads)")
            }
        }
    }
}
