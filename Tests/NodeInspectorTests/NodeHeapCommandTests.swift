import Foundation
import Testing
import NodeInspector
import TestSupport

/// `diag heap` on real Node processes started without any inspector flag.
@Suite struct NodeHeapCommandTests {
    @Test func twoSnapshotsInOneSessionKeepIdsAndDevToolsCountsThem() throws {
        let service = try NodeService("heap-objects.js")
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["heap", String(service.pid), "--count", "2", "--interval", "500ms", "--gc",
                                       "-o", "\(directory)/objects.heapsnapshot", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = jsonObject(result.standardOutput)
        let snapshots = try #require(report["snapshots"] as? [[String: Any]])
        #expect(snapshots.map { $0["path"] as? String } == ["\(directory)/objects-1.heapsnapshot", "\(directory)/objects-2.heapsnapshot"])
        let widgets = (snapshots[0]["topConstructors"] as? [[String: Any]])?.first { $0["name"] as? String == "RetainedWidget" }
        #expect(widgets?["count"] as? Int == 1234)

        let first = try widgetIDs("\(directory)/objects-1.heapsnapshot")
        let second = try widgetIDs("\(directory)/objects-2.heapsnapshot")
        #expect(first.count == 1234)
        #expect(first == second)
        #expect(fileMode("\(directory)/objects-1.heapsnapshot") == 0o600)

        let scripts = jsonObject(try String(contentsOfFile: "\(directory)/objects-1.scripts.json", encoding: .utf8))["scripts"] as? [String: String]
        #expect(scripts?.values.contains { $0.hasSuffix("/heap-objects.js") } == true)
        #expect(fileMode("\(directory)/objects-1.scripts.json") == 0o600)

        #expect(service.otherListeningPorts.isEmpty)
        #expect(service.answersHTTP)

        if DevToolsCheck.isAvailable {
            let check = try DevToolsCheck.run("heapsnapshot", "\(directory)/objects-2.heapsnapshot", extra: ["--top", "400"])
            #expect(check.accepted, "\(check.summary)")
            let summary = check.summary["summary"] as? [String: Any]
            let rows = (summary?["topByRetainedSize"] as? [[String: Any]]) ?? []
            #expect(rows.first { $0["constructor"] as? String == "RetainedWidget" }?["count"] as? Int == 1234)
            #expect(rows.first { $0["constructor"] as? String == "DiagnosticTag" }?["count"] as? Int == 1234)
        }
    }

    @Test func snapshotThatWouldPassTheCgroupLimitIsRefused() throws {
        // 40 MB: less than the ~53 MB this 4 MB heap may need during a snapshot.
        guard let cgroup = TemporaryMemoryCgroup.make(limitBytes: 40 << 20) else { return }  // needs root and a cgroup tree
        defer { cgroup.remove() }
        let service = try NodeService("heap-objects.js")
        defer { service.process.stop() }
        #expect(cgroup.add(service.pid))
        let result = try Command.diag(["heap", String(service.pid), "-o", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("more than its cgroup allows (limit 41.9 MB"), "\(result.standardError)")
        #expect(result.standardError.contains("--force"))
        #expect(service.otherListeningPorts.isEmpty)
        #expect(service.answersHTTP)
    }

    /// The ids of the RetainedWidget objects in a snapshot, read with the file's own meta.
    private func widgetIDs(_ path: String) throws -> Set<Int> {
        let snapshot = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let meta = try #require((snapshot["snapshot"] as? [String: Any])?["meta"] as? [String: Any])
        let fields = try #require(meta["node_fields"] as? [String])
        let types = try #require((meta["node_types"] as? [Any])?.first as? [String])
        let nodes = try #require(snapshot["nodes"] as? [Int])
        let strings = try #require(snapshot["strings"] as? [String])
        let (type, name, id) = (fields.firstIndex(of: "type")!, fields.firstIndex(of: "name")!, fields.firstIndex(of: "id")!)
        var ids = Set<Int>()
        for start in stride(from: 0, to: nodes.count, by: fields.count)
        where types[nodes[start + type]] == "object" && strings[nodes[start + name]] == "RetainedWidget" {
            ids.insert(nodes[start + id])
        }
        return ids
    }
}
