import Foundation
@testable import Profiles
import Testing
import TestSupport

/// A hand-made V8 profile converted for pprof: (root) → main → hot (sampled 3×, positionTicks
/// lines 5 ×2 and 6 ×1) and main → cold (sampled once).
@Suite struct JSProfilePprofTests {
    static let cpuProfile = CPUProfile(
        nodes: [
            .init(id: 1, callFrame: .init(functionName: "(root)"), children: [2]),
            .init(id: 2, callFrame: .init(functionName: "main", url: "file:///app.js", lineNumber: 0), children: [3, 4]),
            .init(id: 3, callFrame: .init(functionName: "hot", url: "file:///app.js", lineNumber: 3),
                  positionTicks: [.init(line: 5, ticks: 2), .init(line: 6, ticks: 1)]),
            .init(id: 4, callFrame: .init(functionName: "", url: "file:///app.js", lineNumber: 9)),
        ],
        startTime: 1_000, endTime: 1_040, samples: [3, 4, 3, 3], timeDeltas: [10, 10, 10, 10])

    static let profile = SampledProfile(javaScript: cpuProfile, pid: 42, processName: "node",
                                        thread: .init(tid: 42, name: "main"), sampleInterval: 10)

    @Test func stacksLinesAndFunctions() throws {
        let profile = Self.profile
        #expect(profile.functions.map(\.name) == ["(root)", "main", "hot", "(anonymous)"])
        #expect(profile.threads.count == 1 && profile.threads[0].samples.count == 4)
        // Locations are (function, line): hot at lines 5 and 6, its callers at their first line.
        let leafLines = profile.threads[0].samples.map { profile.locations[profile.stacks[$0.stack].last!].line }
        #expect(leafLines == [5, 10, 5, 6])
        #expect(profile.stacks.allSatisfy { profile.locations[$0[0]].function == 1 && profile.locations[$0[0]].line == 1 })
        #expect(profile.threads[0].samples.map(\.time) == [1_010, 1_020, 1_030, 1_040])
    }

    @Test func pprofHasNoMappingAndNoTidForAWorker() throws {
        let main = PprofExporter.message(Self.profile, monotonicToWallNanoseconds: 0)
        #expect(main.mapping.isEmpty && main.location.allSatisfy { $0.address == 0 && $0.line.count == 1 })
        #expect(main.sample.allSatisfy { $0.label.count == 2 })
        let worker = SampledProfile(javaScript: Self.cpuProfile, pid: 42, processName: "node", thread: .init(tid: 0, name: "worker 1"),
                                    sampleInterval: 10)
        let message = PprofExporter.message(worker, monotonicToWallNanoseconds: 0)
        #expect(message.sample.allSatisfy { $0.label.count == 1 && message.stringTable[Int($0.label[0].str)] == "worker 1" })
    }

    /// go tool pprof shows exactly the .cpuprofile's shares (four samples: 75% hot, 25% anonymous).
    @Test(.enabled(if: GoPprof.isAvailable)) func goToolPprofShares() throws {
        let directory = try FixturePaths.temporaryDirectory("diag-js-pprof")
        let path = "\(directory)/js.pb.gz"
        try PprofExporter.gzipped(Self.profile).write(to: URL(fileURLWithPath: path))
        let rows = try GoPprof.top(path)
        let summary = ProfileSummary(profile: Self.cpuProfile)
        for share in summary.bySelf {
            let name = share.functionName.isEmpty ? "(anonymous)" : share.functionName
            let row = try #require(rows.first { $0.name == name }, "\(name) in \(rows)")
            #expect(abs(row.flatShare - share.selfShare) < 0.0001 && abs(row.cumulativeShare - share.totalShare) < 0.0001, "\(name)")
        }
        let lines = try GoPprof.top(path, lines: true)
        #expect(lines.contains { $0.name.hasPrefix("hot ") && $0.name.hasSuffix("/app.js:5") && abs($0.flatShare - 0.5) < 0.0001 }, "\(lines)")
    }
}
