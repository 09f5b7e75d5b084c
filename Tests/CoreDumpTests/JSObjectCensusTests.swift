@testable import CoreDump
import DiagSupport
import Foundation
import Testing
import TestSupport

/// `diag core --js-objects` and `diag diff A.core B.core` on cores of a real Node process
/// (Tests/Fixtures/node/census.js) whose object counts are known: the census must count
/// exactly what DevTools' Summary counts in a heap snapshot of the same state.
@Suite(.serialized) struct JSObjectCensusTests {
    private func classCounts(_ json: [String: Any], key: String, name: String, count: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in (json[key] as? [[String: Any]]) ?? [] {
            if let n = row[name] as? String, let c = row[count] as? Int { counts[n] = c }
        }
        return counts
    }

    @Test func censusEqualsTheSnapshotSummaryAndTheCoreDiffCountsTheAdditions() throws {
        guard Command.exists("node") else { return }
        let directory = try FixturePaths.temporaryDirectory("diag-census")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let marker = "\(directory)/added"
        let fixture = try FixtureProcess.node("census.js", environment: ["CENSUS_MARKER": marker, "FIXTURE_LIFETIME": "180"], timeout: 60)
        defer { fixture.stop() }

        // The snapshot collects garbage first; the core right after it sees the same heap.
        let snapshot = try Command.diag(["heap", String(fixture.pid), "-o", "\(directory)/a.heapsnapshot", "-q"], timeout: 120)
        #expect(snapshot.status == 0, "\(snapshot.standardError)")
        let gcoreA = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/a.core"], timeout: 120)
        #expect(gcoreA.status == 0, "\(gcoreA.standardError)")

        let summary = try Command.diag(["summary", "\(directory)/a.heapsnapshot", "--top", "5000", "--json"], timeout: 120)
        #expect(summary.status == 0, "\(summary.standardError)")
        let devtools = classCounts(jsonObject(summary.standardOutput), key: "topByCount", name: "className", count: "count")
        #expect(devtools["Leak"] == 12345)
        #expect(devtools["Other"] == 777)

        let census = try Command.diag(["core", "\(directory)/a.core", "--js-objects", "--top", "100000", "--json"], timeout: 120)
        #expect(census.status == 0, "\(census.standardError)")
        let document = jsonObject(census.standardOutput)
        let counted = classCounts(document, key: "jsObjects", name: "constructor", count: "count")
        for name in ["Leak", "Other", "Holder", "Target", "Child", "BuiltinModule"] {
            #expect(counted[name] != nil && counted[name] == devtools[name], "\(name): census \(counted[name] ?? -1), DevTools Summary \(devtools[name] ?? -1)")
        }
        #expect(counted["Holder"] == 1)
        let leak = try #require((document["jsObjects"] as? [[String: Any]])?.first { $0["constructor"] as? String == "Leak" })
        #expect(leak["bytes"] as? Int == 12345 * 40)
        #expect((leak["example"] as? String)?.hasPrefix("0x") == true)
        #expect((document["walk"] as? [String: Any])?["method"] as? String == JSObjectCensus.method)

        // The same counts from the real DevTools, when it is installed.
        if DevToolsCheck.isAvailable {
            let check = try DevToolsCheck.run("heapsnapshot", "\(directory)/a.heapsnapshot", extra: ["--top", "400"])
            let rows = ((check.summary["summary"] as? [String: Any])?["topByRetainedSize"] as? [[String: Any]]) ?? []
            #expect(rows.first { $0["constructor"] as? String == "Leak" }?["count"] as? Int == counted["Leak"])
            #expect(rows.first { $0["constructor"] as? String == "Other" }?["count"] as? Int == counted["Other"])
        }

        // 5000 more Leak objects, then a second core: the diff counts exactly them.
        kill(fixture.pid, SIGUSR2)
        #expect(NodeService.wait(timeout: 30) { FileManager.default.fileExists(atPath: marker) })
        let gcoreB = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/b.core"], timeout: 120)
        #expect(gcoreB.status == 0, "\(gcoreB.standardError)")
        let diff = try Command.diag(["diff", "\(directory)/a.core", "\(directory)/b.core", "--top", "100000", "--json"], timeout: 120)
        #expect(diff.status == 0, "\(diff.standardError)")
        let report = jsonObject(diff.standardOutput)
        #expect(report["mode"] as? String == "cores")
        let rows = (report["comparison"] as? [[String: Any]]) ?? []
        let leaks = try #require(rows.first { $0["className"] as? String == "Leak" })
        #expect(leaks["countDelta"] as? Int == 5000)
        #expect(leaks["sizeDelta"] as? Int == 5000 * 40)
        #expect(rows.first { $0["className"] as? String == "Other" } == nil)

        let text = try Command.diag(["diff", "\(directory)/a.core", "\(directory)/b.core"], timeout: 120)
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("Per constructor"))
        #expect(text.standardOutput.contains("+5000"))

        // A core and a snapshot do not mix.
        let mixed = try Command.diag(["diff", "\(directory)/a.core", "\(directory)/a.heapsnapshot"], timeout: 60)
        #expect(mixed.status == 1)
        #expect(mixed.standardError.contains("cannot compare a core"))
        #expect(fixture.isRunning)
    }

    /// From the census's example of the one Target to its properties, and from there to the
    /// Holder that keeps it and the array that keeps the Leak objects.
    @Test func jsObjectPrintsPropertiesAndHolders() throws {
        guard Command.exists("node") else { return }
        let directory = try FixturePaths.temporaryDirectory("diag-jsobject")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = try FixtureProcess.node("census.js", environment: ["CENSUS_MARKER": "\(directory)/added", "FIXTURE_LIFETIME": "120"], timeout: 60)
        defer { fixture.stop() }
        let core = "\(directory)/graph.core"
        let gcore = try Command.diag(["gcore", String(fixture.pid), "-o", core], timeout: 120)
        #expect(gcore.status == 0, "\(gcore.standardError)")
        let census = jsonObject(try Command.diag(["core", core, "--js-objects", "--top", "100000", "--json"], timeout: 120).standardOutput)
        let rows = (census["jsObjects"] as? [[String: Any]]) ?? []
        let target = try #require(rows.first { $0["constructor"] as? String == "Target" }?["example"] as? String)

        let printed = try Command.diag(["core", core, "--js-object", target, "--json"], timeout: 120)
        #expect(printed.status == 0, "\(printed.standardError)")
        let object = jsonObject(printed.standardOutput)
        #expect(object["constructor"] as? String == "Target")
        let properties = ((object["properties"] as? [[String: Any]]) ?? []).map { ($0["name"] as? String ?? "", $0["value"] as? String ?? "") }
        #expect(properties.map(\.0) == ["name", "answer", "ratio", "child", "flag"])
        #expect(properties.map(\.1).prefix(3) == ["\"target-one\"", "42", "0.5"])
        #expect(properties[3].1.hasPrefix("Child 0x"))
        #expect(properties[4].1 == "true")
        let holders = (object["heldBy"] as? [[String: Any]]) ?? []
        #expect(holders.count == 1)
        #expect(holders.first?["constructor"] as? String == "Holder")
        #expect(holders.first?["edge"] as? String == ".target")

        // The Holder's leaks array: 12345 Leak elements, held by the Holder.
        let holder = try #require(holders.first?["address"] as? String)
        let holderText = try Command.diag(["core", core, "--js-object", holder], timeout: 120)
        #expect(holderText.status == 0)
        #expect(holderText.standardOutput.contains("target: Target \(target)"))
        let leaks = try #require(jsonObject(try Command.diag(["core", core, "--js-object", holder, "--json"], timeout: 120).standardOutput)["properties"]
            .flatMap { $0 as? [[String: Any]] }?.first { $0["name"] as? String == "leaks" }?["address"] as? String)
        let array = jsonObject(try Command.diag(["core", core, "--js-object", leaks, "--json"], timeout: 120).standardOutput)
        #expect(array["constructor"] as? String == "Array")
        #expect(array["elementCount"] as? Int == 12345)
        #expect(((array["elements"] as? [[String: Any]])?.first?["value"] as? String)?.hasPrefix("Leak 0x") == true)
        #expect(((array["heldBy"] as? [[String: Any]]) ?? []).contains { $0["edge"] as? String == ".leaks" && $0["address"] as? String == holder })

        let bad = try Command.diag(["core", core, "--js-object", "0x10"], timeout: 60)
        #expect(bad.status == 1)
    }

    @Test func aNativeCoreIsNotANodeCore() throws {
        let fixture = try FixtureProcess.native("core_target")
        defer { fixture.stop() }
        let directory = try FixturePaths.temporaryDirectory("diag-census-native")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let gcore = try Command.diag(["gcore", String(fixture.pid), "-o", "\(directory)/native.core"], timeout: 60)
        #expect(gcore.status == 0, "\(gcore.standardError)")
        let census = try Command.diag(["core", "\(directory)/native.core", "--js-objects"], timeout: 60)
        #expect(census.status == 4)
        #expect(census.standardError.contains("is not a core of a Node.js process"))
        let diff = try Command.diag(["diff", "\(directory)/native.core", "\(directory)/native.core"], timeout: 60)
        #expect(diff.status == 4)
    }
}

/// The constants check on hand-made sets: each missing constant is named, exit status 4.
@Suite struct NodeCoreConstantsTests {
    @Test func missingConstantsAreNamed() throws {
        var constants: [String: Int64] = [:]
        for name in NodeCore.allRequired { constants[name] = 1 }
        try V8Postmortem(constants: constants, version: "11.3.244.8").require(NodeCore.allRequired, of: "x.core", consequence: "no walk")
        constants["v8dbg_type_FreeSpace__FREE_SPACE_TYPE"] = nil
        constants["v8dbg_class_Map__constructor_or_back_pointer__Object"] = nil
        let postmortem = V8Postmortem(constants: constants, version: "9.4.146.26")
        #expect(postmortem.missing(NodeCore.allRequired)
                    == ["v8dbg_type_FreeSpace__FREE_SPACE_TYPE", "v8dbg_class_Map__constructor_or_back_pointer__Object"])
        do {
            try postmortem.require(NodeCore.allRequired, of: "x.core", consequence: "no walk")
            Issue.record("no error")
        } catch let error as DiagError {
            #expect(error.kind == .unsupportedTarget)
            #expect(error.message == "the node in x.core (V8 9.4.146.26) lacks the postmortem constants "
                        + "v8dbg_type_FreeSpace__FREE_SPACE_TYPE, v8dbg_class_Map__constructor_or_back_pointer__Object: no walk")
        }
    }

    @Test func aNodeWithoutConstantsIsRefused() {
        #expect(throws: DiagError.self) {
            try V8Postmortem(constants: [:], version: nil).require(["v8dbg_HeapObjectTag"], of: "process 12", consequence: "no names")
        }
    }

    @Test func theFrameContextSlotFallsBackToItsOlderName() {
        #expect(V8Heap.frameContextConstant(in: ["v8dbg_off_fp_context_or_frame_type": -8]) == "v8dbg_off_fp_context_or_frame_type")
        #expect(V8Heap.frameContextConstant(in: ["v8dbg_off_fp_context": -8]) == "v8dbg_off_fp_context")
    }
}
