import Foundation
import NativeProfiler
import Profiles
import Testing
import TargetProcess
import TestSupport

extension NativeIntegration {
    /// pprof files of real captures of hot_threads.c, read by `go tool pprof`.
    @Suite(.enabled(if: GoPprof.isAvailable)) struct Pprof {
        /// One capture written as both .cpuprofile and .pb.gz: go tool pprof shows the same self
        /// and total shares (within its 0.01% rounding) as the .cpuprofile's summary, per function
        /// and, with -lines, the hot line; the fixture's mapping carries its build-id.
        @Test func sameSharesAsTheCPUProfileOfTheSameSamples() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let target = try TargetProcess(pid: fixture.pid)
            let resolver = try FrameResolver(target: target)
            let capture = try NativeCPUCapture.run(pid: fixture.pid, configuration: SamplerConfiguration(rate: 199, duration: 2),
                                                   choice: .automatic, processName: target.name)
            var assembler = ProfileAssembler(resolver: resolver)
            let profile = assembler.assemble(capture).profile
            #expect(fixture.isRunningUntraced)

            let directory = try FixturePaths.temporaryDirectory("diag-pprof-native")
            let path = "\(directory)/profile.pb.gz"
            try ProfileFormat.pprof.encode(profile).write(to: URL(fileURLWithPath: path))
            let summary = ProfileSummary(profile: try CPUProfile.decode(try ProfileFormat.cpuprofile.encode(profile)))
            #expect(summary.sampleCount > 100)
            let rows = try GoPprof.top(path)
            let threadNodes = Set(profile.threads.map(\.label))
            var compared = 0
            for share in summary.bySelf where !threadNodes.contains(share.functionName) {
                let matches = rows.filter { $0.name == share.functionName }
                // Functions of one name in two files are two rows in both tools; compare the sum.
                let sameName = summary.bySelf.filter { $0.functionName == share.functionName }
                guard sameName.count == 1 else { continue }
                let row = try #require(matches.first, "\(share.functionName) missing in \(rows.map(\.name))")
                #expect(abs(row.flatShare - share.selfShare) <= 0.0001 + 1e-9, "\(share.functionName) self")
                #expect(abs(row.cumulativeShare - share.totalShare) <= 0.0001 + 1e-9, "\(share.functionName) total")
                compared += 1
            }
            #expect(compared >= 3)
            #expect(rows.contains { $0.name == "mix_step" && $0.isInline })

            let hotLine = try FixtureSource.line(containing: "HOT_A_LINE", in: "hot_threads")
            let lines = try GoPprof.top(path, lines: true)
            #expect(lines.contains { $0.name.hasPrefix("hot_a ") && $0.name.hasSuffix("hot_threads.c:\(hotLine)") }, "\(lines.prefix(8))")

            let executable = try #require(profile.modules.first { $0.path.contains("/hot_threads") })
            let buildID = try #require(executable.buildID)
            #expect(try GoPprof.raw(path).contains(buildID))
        }

        /// `diag cpu --format pprof` without -o writes NAME-PID-….pb.gz (mode 0600); the thread
        /// labels let go tool pprof show one thread: hot_a is 70% of split-ab's samples (±10 points).
        @Test func diagCPUWritesPbGzWithThreadLabels() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let directory = try FixturePaths.temporaryDirectory("diag-pprof-cli")
            let run = try Command.run("/bin/sh", ["-c", "cd \"$0\" && exec \"$1\" cpu \"$2\" --duration 3 --rate 199 --format pprof --quiet",
                                                  directory, FixturePaths.diagExecutable, String(fixture.pid)], timeout: 60)
            #expect(run.status == 0, "\(run.standardError)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            let name = try #require(files.first { $0.hasSuffix(".pb.gz") }, "\(files)")
            #expect(name.hasPrefix("cpu-hot_threads") && name.contains("-\(fixture.pid)-"), "\(name)")
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name)")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let split = try GoPprof.top("\(directory)/\(name)", extraArguments: ["-tagfocus=thread=split-ab"])
            let hotA = try #require(split.first { $0.name == "hot_a" })
            let shown = split.reduce(0) { $0 + $1.flatShare }
            #expect(abs(hotA.flatShare / shown - 0.70) <= 0.10, "hot_a \(hotA.flatShare) of \(shown)")
            #expect(!split.contains { $0.name == "hot_c" })
            #expect(fixture.isRunningUntraced)
        }
    }
}
