import Foundation
import Profiles
import Testing

/// The exporters on a small hand-made profile: two threads, an inlined frame, an idle sample.
@Suite struct ExporterTests {
    /// Thread 11 "worker": main → work → leaf (inlined) twice, main → work once.
    /// Thread 12 "waiter": main → wait, once on CPU and once idle.
    static let profile: SampledProfile = {
        let functions = [
            SampledProfile.Function(name: "main", url: "/src/app.c", line: 10, module: "/bin/app"),
            SampledProfile.Function(name: "work", url: "/src/app.c", line: 20, module: "/bin/app"),
            SampledProfile.Function(name: "leaf", url: "/src/util.h", line: 3, module: "/bin/app"),
            SampledProfile.Function(name: "wait", url: "/lib/libc.so.6", line: nil, module: "/lib/libc.so.6"),
        ]
        let locations = [
            SampledProfile.Location(function: 0, line: 12),
            SampledProfile.Location(function: 1, line: 22),
            SampledProfile.Location(function: 2, line: 4, isInline: true),
            SampledProfile.Location(function: 1, line: 25),
            SampledProfile.Location(function: 3, line: nil),
        ]
        let stacks = [[0, 1, 2], [0, 3], [0, 4]]
        let threads = [
            SampledProfile.Thread(tid: 11, name: "worker", samples: [
                .init(time: 1_010, stack: 0), .init(time: 1_020, stack: 0), .init(time: 1_030, stack: 1),
            ]),
            SampledProfile.Thread(tid: 12, name: "waiter", samples: [
                .init(time: 1_015, stack: 2), .init(time: 1_025, stack: 2, isIdle: true),
            ]),
        ]
        return SampledProfile(pid: 10, processName: "app", functions: functions, locations: locations, stacks: stacks,
                              threads: threads, startTime: 1_000, endTime: 1_040, sampleInterval: 10)
    }()

    @Test func cpuprofileHasDevToolsShapeWithThreadNodes() throws {
        let cpuProfile = CPUProfileExporter.cpuProfile(Self.profile)
        try cpuProfile.validate()
        let text = String(decoding: cpuProfile.encodedJSON(), as: UTF8.self)
        #expect(text.hasPrefix("{\"nodes\":["))
        #expect(cpuProfile.nodes[0].callFrame.functionName == "(root)")
        #expect(cpuProfile.samples.count == 5)
        #expect(cpuProfile.timeDeltas == [10, 5, 5, 5, 5])
        #expect(cpuProfile.startTime == 1_000 && cpuProfile.endTime == 1_040)
        let names = Dictionary(uniqueKeysWithValues: cpuProfile.nodes.map { ($0.id, $0.callFrame.functionName) })
        #expect((cpuProfile.nodes[0].children ?? []).compactMap { names[$0] } == ["worker (11)", "waiter (12)"])
        let leaf = try #require(cpuProfile.nodes.first { $0.callFrame.functionName == "leaf" })
        #expect(leaf.hitCount == 2)
        #expect(leaf.positionTicks == [CPUProfile.PositionTick(line: 4, ticks: 2)])
        #expect(leaf.callFrame.lineNumber == 2)  // 0-based start line
        #expect(leaf.callFrame.scriptId != "0")
        let wait = try #require(cpuProfile.nodes.first { $0.callFrame.functionName == "wait" })
        #expect(wait.callFrame.lineNumber == -1)
        let idle = try #require(cpuProfile.nodes.first { $0.callFrame.functionName == "(idle)" })
        #expect((wait.children ?? []) == [idle.id])
        // `work` is one node although two of its lines were hit.
        #expect(cpuProfile.nodes.filter { $0.callFrame.functionName == "work" }.count == 1)
    }

    /// The profile with only its first thread, as `diag cpu --thread` samples it.
    static var workerOnly: SampledProfile {
        var single = profile
        single.threads = [profile.threads[0]]
        return single
    }

    @Test func oneThreadProfileHasNoThreadNode() throws {
        let cpuProfile = CPUProfileExporter.cpuProfile(Self.workerOnly)
        let first = try #require(cpuProfile.nodes.first { $0.id == cpuProfile.nodes[0].children?.first })
        #expect(first.callFrame.functionName == "main")
        #expect(cpuProfile.samples.count == 3)
    }

    @Test func traceHasCategoriesThreadNamesAndOneProfilePerThread() throws {
        let data = try TraceEventExporter.json(Self.profile)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(root["traceEvents"] as? [[String: Any]])
        #expect(events.allSatisfy { $0["cat"] is String && $0["ph"] is String && $0["pid"] as? Int == 10 })
        let threadNames = events.filter { $0["name"] as? String == "thread_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(threadNames == ["worker", "waiter"])
        let profiles = events.filter { $0["name"] as? String == "Profile" }
        #expect(Set(profiles.compactMap { $0["id"] as? String }) == ["0xb", "0xc"])
        let chunks = events.filter { $0["name"] as? String == "ProfileChunk" }
        #expect(chunks.count == 2)
        for chunk in chunks {
            let payload = try #require((chunk["args"] as? [String: Any])?["data"] as? [String: Any])
            let cpuProfile = try #require(payload["cpuProfile"] as? [String: Any])
            let samples = try #require(cpuProfile["samples"] as? [Int])
            #expect(samples.count == (payload["timeDeltas"] as? [Int])?.count)
            #expect(payload["endTime"] as? Int == 1_040)
            let nodes = try #require(cpuProfile["nodes"] as? [[String: Any]])
            #expect(nodes.first?["parent"] == nil)
            #expect(nodes.dropFirst().allSatisfy { $0["parent"] is Int })
        }
        #expect(events.filter { $0["ph"] as? String == "X" }.count == 2)
    }

    @Test func traceSplitsLongProfilesIntoChunks() throws {
        var long = Self.profile
        long.threads = [SampledProfile.Thread(tid: 11, name: "worker", samples: (0..<2_500).map {
            SampledProfile.Sample(time: 1_000 + Int64($0), stack: 0)
        })]
        long.endTime = 4_000
        let root = try JSONSerialization.jsonObject(with: try TraceEventExporter.json(long)) as? [String: Any]
        let chunks = (root?["traceEvents"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "ProfileChunk" }
        let payloads = chunks.compactMap { ($0["args"] as? [String: Any])?["data"] as? [String: Any] }
        #expect(payloads.map { (($0["cpuProfile"] as? [String: Any])?["samples"] as? [Int])?.count } == [1_000, 1_000, 500])
        #expect(payloads.map { $0["endTime"] != nil } == [false, false, true])
        #expect(payloads.map { ($0["cpuProfile"] as? [String: Any])?["nodes"] != nil } == [true, false, false])
    }

    @Test func collapsedStacksPerThread() {
        let lines = CollapsedStacksExporter.text(Self.profile).split(separator: "\n")
        #expect(lines == [
            "worker (11);main;work;leaf 2",
            "worker (11);main;work 1",
            "waiter (12);main;wait 1",
            "waiter (12);main;wait;(idle) 1",
        ])
        let single = CollapsedStacksExporter.text(Self.workerOnly)
        #expect(single.hasPrefix("main;work;leaf 2\n"))
    }

    @Test func speedscopeHasOneSampledProfilePerThread() throws {
        let data = SpeedscopeExporter.json(Self.profile)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["$schema"] as? String == "https://www.speedscope.app/file-format-schema.json")
        let frames = try #require((root["shared"] as? [String: Any])?["frames"] as? [[String: Any]])
        #expect(frames.map { $0["name"] as? String } == ["main", "work", "leaf", "wait", "(idle)"])
        let profiles = try #require(root["profiles"] as? [[String: Any]])
        #expect(profiles.map { $0["name"] as? String } == ["worker (11)", "waiter (12)"])
        let waiter = profiles[1]
        #expect(waiter["type"] as? String == "sampled")
        #expect(waiter["samples"] as? [[Int]] == [[0, 3], [0, 3, 4]])
        #expect(waiter["weights"] as? [Int] == [10, 10])
    }
}
