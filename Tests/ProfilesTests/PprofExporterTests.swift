import Foundation
@testable import Profiles
import Testing
import TestSupport

/// The pprof exporter on ExporterTests' hand-made profile, given the addresses a native
/// capture has: `leaf` is inlined at 0x1010, so that address is one Location with two Lines.
@Suite struct PprofExporterTests {
    static let profile: SampledProfile = {
        var profile = ExporterTests.profile
        // main at 0x1000; work+leaf (inlined) at 0x1010; work at 0x1020; wait in libc at 0x7000.
        profile.addresses = [
            .init(address: 0x1000, locations: [0], module: 0),
            .init(address: 0x1010, locations: [1, 2], module: 0),
            .init(address: 0x1020, locations: [3], module: 0),
            .init(address: 0x7000, locations: [4], module: 1),
        ]
        profile.addressStacks = [[0, 1], [0, 2], [0, 3]]
        profile.modules = [
            .init(path: "/bin/app", start: 0x1000, end: 0x2000, buildID: "abcdef0123", hasDebugInfo: true),
            .init(path: "/lib/libc.so.6", start: 0x7000, end: 0x8000, fileOffset: 0x1000, buildID: "0badc0de"),
        ]
        return profile
    }()

    @Test func messageHasSampleTypesLocationsPerAddressMappingsAndThreadLabels() throws {
        let message = PprofExporter.message(Self.profile, monotonicToWallNanoseconds: 1_700_000_000_000_000_000)
        let strings = message.stringTable
        #expect(strings[0] == "")
        #expect(message.sampleType.map { [strings[Int($0.type)], strings[Int($0.unit)]] } == [["samples", "count"], ["cpu", "nanoseconds"]])
        #expect(strings[Int(message.periodType.type)] == "cpu" && message.period == 10_000)
        #expect(message.timeNanos == 1_000_000 + 1_700_000_000_000_000_000)
        #expect(message.durationNanos == 40_000)
        // Four addresses and the idle frame, one Location each; 0x1010 has leaf inlined into work.
        #expect(message.location.count == 5)
        let inlined = try #require(message.location.first { $0.address == 0x1010 })
        let functionNames = Dictionary(uniqueKeysWithValues: message.function.map { ($0.id, strings[Int($0.name)]) })
        #expect(inlined.line.map { functionNames[$0.functionID] } == ["leaf", "work"])
        #expect(inlined.line.map(\.line) == [4, 22])
        #expect(inlined.mappingID == 1)
        #expect(message.mapping.map { strings[Int($0.buildID)] } == ["abcdef0123", "0badc0de"])
        #expect(message.mapping[1].fileOffset == 0x1000 && message.mapping[1].memoryLimit == 0x8000)
        #expect(message.mapping[0].hasInlineFrames_p && !message.mapping[1].hasLineNumbers_p)
        // One sample per thread and stack: worker 2× [leaf work main] and 1× [work main]; waiter 1+1 idle.
        #expect(message.sample.map { $0.value[0] }.reduce(0, +) == 5)
        #expect(message.sample.allSatisfy { $0.value[1] == $0.value[0] * 10_000 })
        let hot = try #require(message.sample.first { $0.value[0] == 2 })
        #expect(hot.locationID.count == 2)  // the inlined address once, then main's
        let labels = hot.label.map { ($0.key, $0.str, $0.num) }
        #expect(labels.map { strings[Int($0.0)] } == ["thread", "tid"])
        #expect(strings[Int(labels[0].1)] == "worker" && labels[1].2 == 11)
        let idle = try #require(message.sample.first { functionNames[message.location[Int($0.locationID[0]) - 1].line[0].functionID] == "(idle)" })
        #expect(strings[Int(idle.label[0].str)] == "waiter")
    }

    @Test func withoutAddressesOneLocationPerFunctionAndLine() throws {
        let message = PprofExporter.message(ExporterTests.profile, monotonicToWallNanoseconds: 0)
        #expect(message.location.count == ExporterTests.profile.locations.count + 1)
        #expect(message.location.allSatisfy { $0.line.count == 1 && $0.address == 0 })
        #expect(message.mapping.isEmpty)
    }

    @Test func fileIsGzipped() throws {
        let data = try PprofExporter.gzipped(Self.profile)
        #expect(data.prefix(2) == Data([0x1f, 0x8b]))
        #expect(ProfileFormat.pprof.fileExtension == "pb.gz")
    }

    /// go tool pprof reads the file, with the same self and total shares as the .cpuprofile
    /// of the same samples (exact: five samples).
    @Test(.enabled(if: GoPprof.isAvailable)) func goToolPprofShowsTheCPUProfileShares() throws {
        let directory = try FixturePaths.temporaryDirectory("diag-pprof")
        let path = "\(directory)/profile.pb.gz"
        try PprofExporter.gzipped(Self.profile).write(to: URL(fileURLWithPath: path))
        let rows = try GoPprof.top(path)
        let summary = ProfileSummary(profile: CPUProfileExporter.cpuProfile(Self.profile))
        for share in summary.bySelf where !share.functionName.hasSuffix(")") || share.functionName == "(idle)" {
            let row = try #require(rows.first { $0.name == share.functionName }, "\(share.functionName) in \(rows)")
            #expect(abs(row.flatShare - share.selfShare) < 0.001, "\(share.functionName)")
            #expect(abs(row.cumulativeShare - share.totalShare) < 0.001, "\(share.functionName)")
        }
        // -lines: one row per source line, the inlined leaf's own line among them.
        let lines = try GoPprof.top(path, lines: true)
        #expect(lines.contains { $0.name == "leaf /src/util.h:4" && $0.isInline && abs($0.flatShare - 0.4) < 0.001 }, "\(lines)")
        let raw = try GoPprof.raw(path)
        #expect(raw.contains("abcdef0123") && raw.contains("/lib/libc.so.6"), "\(raw)")
    }
}
