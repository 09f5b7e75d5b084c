import Foundation
import TestSupport

/// Mutants of a valid `.heapsnapshot` that stay (mostly) well-formed JSON, so that they get
/// past the parser into the validator and the analyses: edges retargeted into cycles and
/// self-loops, indices out of range, wrong field and edge counts, truncated arrays, numbers
/// at the edges of the integer ranges, a changed `meta`, hostile strings, long chains and
/// fans of edges. A quarter of the mutants also get byte-level damage (`Mutator.mutateJSON`).
struct HeapSnapshotMutator {
    /// The snapshot as numbers and strings; `sections` are the other top-level values, kept as they were.
    private var header: [String: Any]
    private var nodes: [Int]
    private var edges: [Int]
    private var locations: [Int]
    private var strings: [String]
    private let sections: [(key: String, json: String)]

    init(_ bytes: [UInt8]) throws {
        guard let top = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let header = top["snapshot"] as? [String: Any], let nodes = top["nodes"] as? [Int],
              let edges = top["edges"] as? [Int], let strings = top["strings"] as? [String] else {
            throw FixtureError("not a heap snapshot the mutator can take apart")
        }
        self.header = header
        self.nodes = nodes
        self.edges = edges
        self.strings = strings
        locations = top["locations"] as? [Int] ?? []
        let known: Set<String> = ["snapshot", "nodes", "edges", "locations", "strings"]
        sections = try top.keys.filter { !known.contains($0) }.sorted().map { key in
            (key, String(decoding: try JSONSerialization.data(withJSONObject: top[key]!, options: [.fragmentsAllowed]), as: UTF8.self))
        }
    }

    /// Names the V8 analyses look for, and text that only looks like a number or a WeakMap edge.
    static let hostileStrings = [
        "", "<dummy>", "table", "context", "previous", "global / ", "Window / x", "Map", "Object", "system / NativeContext",
        "sloppy_function_map", "(map descriptors)", "system / ExternalStringData", "(GC roots)", "(Handle scope)",
        "(Document DOM trees)", "Detached <div>", "<", "Detached <", "0", "1", "-1", "4294967295", "99999999999999999999",
        "1 / part of key (Object @1) -> value (Object @2) pair in WeakMap (table @3)",
        "1 / part of key ( -> value ( pair in WeakMap (table @)", "9 / part of key (pair in WeakMap (table @99999999999999)",
        String(repeating: "x", count: 70_000), String(repeating: "é", count: 200), "\u{FFFD}\u{0}\u{1F600}",
    ]

    /// Up to three structural mutations, then sometimes byte-level damage.
    func mutant(_ rng: inout SplitMix) -> [UInt8] {
        var copy = self
        for _ in 0..<Int.random(in: 1...3, using: &rng) { copy.mutate(&rng) }
        var bytes = copy.serialized()
        if Int.random(in: 0..<4, using: &rng) == 0 { bytes = Mutator.mutateJSON(bytes, &rng) }
        return bytes
    }

    private var meta: [String: Any] { header["meta"] as? [String: Any] ?? [:] }
    private func fields(_ name: String) -> [String] { meta[name] as? [String] ?? [] }
    private var nodeFieldCount: Int { max(1, fields("node_fields").count) }
    private var edgeFieldCount: Int { max(1, fields("edge_fields").count) }
    private var nodeCount: Int { nodes.count / nodeFieldCount }
    private var edgeCount: Int { edges.count / edgeFieldCount }
    private func nodeField(_ name: String) -> Int { fields("node_fields").firstIndex(of: name) ?? 0 }
    private func edgeField(_ name: String) -> Int { fields("edge_fields").firstIndex(of: name) ?? 0 }
    private func typeCount(_ key: String) -> Int { max(1, ((meta[key] as? [Any])?.first as? [Any])?.count ?? 1) }

    private static func edgeValue(_ rng: inout SplitMix, near count: Int) -> Int {
        [0, 1, -1, count - 1, count, count + 1, Int(UInt32.max), Int(UInt32.max) + 1, Int(Int32.max), 1 << 53, .max,
         Int.random(in: 0...max(1, count * 2), using: &rng)].randomElement(using: &rng)!
    }

    private mutating func setNode(_ field: String, _ value: (inout SplitMix) -> Int, _ rng: inout SplitMix) {
        guard nodeCount > 0 else { return }
        nodes[Int.random(in: 0..<nodeCount, using: &rng) * nodeFieldCount + nodeField(field)] = value(&rng)
    }

    private mutating func setEdge(_ field: String, _ value: (inout SplitMix) -> Int, _ rng: inout SplitMix) {
        guard edgeCount > 0 else { return }
        edges[Int.random(in: 0..<edgeCount, using: &rng) * edgeFieldCount + edgeField(field)] = value(&rng)
    }

    private mutating func mutate(_ rng: inout SplitMix) {
        let n = nodeCount, nf = nodeFieldCount, strings = self.strings.count, edges = edgeCount
        let edgeTypes = typeCount("edge_types"), nodeTypes = typeCount("node_types")
        let validNode: (inout SplitMix) -> Int = { Int.random(in: 0..<max(1, n), using: &$0) * nf }
        switch Int.random(in: 0..<24, using: &rng) {
        case 0, 1, 2: setEdge("to_node", validNode, &rng)  // cycles, self-loops, shared children
        case 3: setEdge("to_node", { Self.edgeValue(&$0, near: n * nf) }, &rng)
        case 4: setEdge("type", { [Int.random(in: 0..<edgeTypes, using: &$0), edgeTypes, 255, -1].randomElement(using: &$0)! }, &rng)
        case 5: setEdge("name_or_index", { [Int.random(in: 0..<max(1, strings), using: &$0), Self.edgeValue(&$0, near: strings)].randomElement(using: &$0)! }, &rng)
        case 6: setNode("type", { [Int.random(in: 0..<nodeTypes, using: &$0), nodeTypes, 255].randomElement(using: &$0)! }, &rng)
        case 7: setNode("name", { [Int.random(in: 0..<max(1, strings), using: &$0), Self.edgeValue(&$0, near: strings)].randomElement(using: &$0)! }, &rng)
        case 8: setNode("id", { Self.edgeValue(&$0, near: n) }, &rng)
        case 9: setNode("self_size", { [0, Int(UInt32.max), 1 << 32, 1 << 62, Int.random(in: 0...1 << 20, using: &$0)].randomElement(using: &$0)! }, &rng)
        case 10: setNode("detachedness", { [0, 1, 2, 3, 255].randomElement(using: &$0)! }, &rng)
        case 11: moveEdgeCount(&rng)
        case 12: setNode("edge_count", { Self.edgeValue(&$0, near: edges) }, &rng)
        case 13: cut(&rng)
        case 14:
            let key = Bool.random(using: &rng) ? "node_count" : "edge_count"
            header[key] = Self.edgeValue(&rng, near: key == "node_count" ? n : edges)
        case 15: header["root_index"] = [Int.random(in: 0..<max(1, n), using: &rng) * nf, 1, -1, n * nf, Int(UInt32.max) * 7].randomElement(using: &rng)!
        case 16: mutateMeta(&rng)
        case 17:
            if strings > 0 { self.strings[Int.random(in: 0..<strings, using: &rng)] = Self.hostileStrings.randomElement(using: &rng)! }
        case 18: self.strings.removeLast(min(strings, [1, 2, strings / 2, strings].randomElement(using: &rng)!))
        case 19:
            let lf = max(1, fields("location_fields").count)
            if !locations.isEmpty {
                let at = Int.random(in: 0..<locations.count, using: &rng)
                locations[at] = [validNode(&rng), at % lf == 0 ? 1 : 0, Int(UInt32.max), Int(UInt32.max) + 1, n * nf].randomElement(using: &rng)!
            }
        case 20: addFan(&rng)
        case 21: addChain(&rng)
        case 22: header["extra_native_bytes"] = [Int.max, 1 << 62, -1].randomElement(using: &rng)!
        default:
            // Swap two node records: edges now belong to other nodes.
            guard n > 1 else { return }
            let a = Int.random(in: 0..<n, using: &rng), b = Int.random(in: 0..<n, using: &rng)
            for f in 0..<nf { nodes.swapAt(a * nf + f, b * nf + f) }
        }
    }

    /// One node's edge moves to its neighbour: the total stays right, the edges belong elsewhere.
    private mutating func moveEdgeCount(_ rng: inout SplitMix) {
        let field = nodeField("edge_count")
        let candidates = (0..<nodeCount).filter { nodes[$0 * nodeFieldCount + field] > 0 }
        guard let from = candidates.randomElement(using: &rng) else { return }
        let to = Int.random(in: 0..<nodeCount, using: &rng)
        let moved = Int.random(in: 1...nodes[from * nodeFieldCount + field], using: &rng)
        nodes[from * nodeFieldCount + field] -= moved
        nodes[to * nodeFieldCount + field] &+= moved
    }

    /// Numbers cut out of an array, with or without the header's counts following.
    private mutating func cut(_ rng: inout SplitMix) {
        let amount = Int.random(in: 1...(2 * nodeFieldCount), using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: if nodes.count > amount { nodes.removeSubrange(nodes.count - amount..<nodes.count) }
        case 1: if edges.count > amount { edges.removeSubrange(edges.count - amount..<edges.count) }
        default: if locations.count > amount { locations.removeSubrange(0..<amount) }
        }
        if Bool.random(using: &rng) {
            header["node_count"] = nodeCount
            header["edge_count"] = edgeCount
        }
    }

    private mutating func mutateMeta(_ rng: inout SplitMix) {
        var meta = self.meta
        let key = ["node_fields", "edge_fields", "location_fields", "node_types", "edge_types"].randomElement(using: &rng)!
        if key.hasSuffix("types"), var types = meta[key] as? [Any], var names = types.first as? [String] {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: names = Array(names.prefix(Int.random(in: 0...names.count, using: &rng)))
            case 1: names += (0..<300).map { "type\($0)" }
            default: names.shuffle(using: &rng)
            }
            types[0] = names
            meta[key] = types
        } else if var names = meta[key] as? [String], !names.isEmpty {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: names.remove(at: Int.random(in: 0..<names.count, using: &rng))
            case 1: names.append(names.randomElement(using: &rng)!)
            default: names.swapAt(Int.random(in: 0..<names.count, using: &rng), Int.random(in: 0..<names.count, using: &rng))
            }
            meta[key] = names
        }
        header["meta"] = meta
    }

    /// Many edges from one node: more than there are nodes, to one target or to many.
    private mutating func addFan(_ rng: inout SplitMix) {
        guard nodeCount > 0 else { return }
        let source = Bool.random(using: &rng) ? rootOrdinal : Int.random(in: 0..<nodeCount, using: &rng)
        let target = Int.random(in: 0..<nodeCount, using: &rng)
        let count = Int.random(in: 1...(3 * nodeCount), using: &rng)
        let sameTarget = Bool.random(using: &rng)
        let (typeField, nameField, toField) = (edgeField("type"), edgeField("name_or_index"), edgeField("to_node"))
        let (types, n, ef, nf) = (typeCount("edge_types"), nodeCount, edgeFieldCount, nodeFieldCount)
        var added: [Int] = []
        for _ in 0..<count {
            var edge = [Int](repeating: 0, count: ef)
            edge[typeField] = Int.random(in: 0..<types, using: &rng)
            edge[nameField] = Int.random(in: 0..<max(1, strings.count), using: &rng)
            edge[toField] = (sameTarget ? target : Int.random(in: 0..<n, using: &rng)) * nf
            added += edge
        }
        insertEdges(added, count: count, of: source)
    }

    /// A chain of new nodes tens of thousands long under the root, optionally closed into a cycle.
    private mutating func addChain(_ rng: inout SplitMix) {
        guard nodeCount > 0 else { return }
        let length = [1000, 5000, 30_000].randomElement(using: &rng)!
        let first = nodeCount
        let closed = Bool.random(using: &rng)
        let objectType = (((meta["node_types"] as? [Any])?.first as? [String])?.firstIndex(of: "object")) ?? 0
        let propertyType = (((meta["edge_types"] as? [Any])?.first as? [String])?.firstIndex(of: "property")) ?? 0
        let (nf, ef, name) = (nodeFieldCount, edgeFieldCount, max(0, min(1, strings.count - 1)))
        let (typeField, nameField, idField) = (nodeField("type"), nodeField("name"), nodeField("id"))
        let (sizeField, countField) = (nodeField("self_size"), nodeField("edge_count"))
        let (edgeTypeField, edgeNameField, toField) = (edgeField("type"), edgeField("name_or_index"), edgeField("to_node"))
        nodes.reserveCapacity(nodes.count + length * nf)
        edges.reserveCapacity(edges.count + length * ef)
        var node = [Int](repeating: 0, count: nf), edge = [Int](repeating: 0, count: ef)
        for i in 0..<length {
            let linked = i < length - 1 || closed
            node[typeField] = objectType
            node[nameField] = name
            node[idField] = 1_000_001 + 2 * i
            node[sizeField] = 16
            node[countField] = linked ? 1 : 0
            nodes += node
            if linked {
                edge[edgeTypeField] = propertyType
                edge[edgeNameField] = name
                edge[toField] = (i < length - 1 ? first + i + 1 : first) * nf
                edges += edge
            }
        }
        var link = [Int](repeating: 0, count: edgeFieldCount)
        link[edgeField("type")] = propertyType
        link[edgeField("to_node")] = first * nodeFieldCount
        insertEdges(link, count: 1, of: rootOrdinal)
        header["node_count"] = nodeCount
        header["edge_count"] = edgeCount
    }

    private var rootOrdinal: Int { (header["root_index"] as? Int ?? 0) / nodeFieldCount }

    /// Puts `added` (whole edge records) after the edges of `source` and counts them there.
    private mutating func insertEdges(_ added: [Int], count: Int, of source: Int) {
        guard source >= 0, source < nodeCount else { return }
        let field = nodeField("edge_count")
        var before = 0
        for node in 0...source { before = min(edges.count, before + min(edges.count, max(0, nodes[node * nodeFieldCount + field]))) }
        let at = min(edges.count, before &* edgeFieldCount)
        edges.insert(contentsOf: added, at: at)
        nodes[source * nodeFieldCount + field] &+= count
        header["edge_count"] = edgeCount
    }

    /// The snapshot as V8 lays it out: the header first, then the arrays, then the strings.
    func serialized() -> [UInt8] {
        let headerJSON = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        let stringsJSON = (try? JSONSerialization.data(withJSONObject: strings)) ?? Data("[]".utf8)
        func list(_ numbers: [Int]) -> String { "[" + numbers.map(String.init).joined(separator: ",") + "]" }
        var text = "{\"snapshot\":" + String(decoding: headerJSON, as: UTF8.self)
        text += ",\n\"nodes\":" + list(nodes) + ",\n\"edges\":" + list(edges) + ",\n\"locations\":" + list(locations)
        for section in sections { text += ",\n\"\(section.key)\":" + section.json }
        text += ",\n\"strings\":" + String(decoding: stringsJSON, as: UTF8.self) + "}\n"
        return Array(text.utf8)
    }
}
