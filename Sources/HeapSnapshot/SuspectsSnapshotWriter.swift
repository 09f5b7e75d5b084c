import DiagSupport

/// Writes a small, valid `.heapsnapshot` holding only the suspects: the new objects of each
/// listed cluster and their retainer paths from the root, with the original ids, names, types
/// and V8 self sizes, so it opens in DevTools even when the original is too big to load. Its
/// class counts are the report's: older objects a new one holds are left out.
public enum SuspectsSnapshotWriter {
    /// Most objects in the file (paths included).
    public static let totalLimit = 200_000

    /// What `write` put in the file.
    public struct Written: Sendable, Equatable {
        /// Objects written (the synthetic root and the retainer paths included).
        public var nodes: Int
        /// Whether every object asked for was written; false when `totalLimit` was reached first.
        public var complete: Bool
    }

    /// Writes the file at `path` (mode 0600, atomically) with the objects of `clusters`
    /// (`clusters[i]` holds cluster i's objects, node ordinals, its representative first) and
    /// the shortest retainer path of each. Every cluster's first object goes in before the
    /// others, so each cluster is in the file even when the first one alone would reach
    /// `totalLimit`; then whole clusters, in order.
    @discardableResult
    public static func write(path: String, analysis: SnapshotAnalysis, clusters: [[Int]]) throws -> Written {
        let graph = analysis.graph
        var included: [Int] = [graph.rootOrdinal]
        var newIndex = [Int: Int]()
        newIndex[graph.rootOrdinal] = 0
        let objects = clusters.compactMap(\.first) + clusters.flatMap { $0.dropFirst() }
        var complete = true
        var chain: [Int] = []
        for object in objects where newIndex[object] == nil {
            guard included.count < totalLimit else { complete = false; break }
            // The object and its retainers up to the first one already in the file.
            chain.removeAll(keepingCapacity: true)
            var node = object
            while newIndex[node] == nil && chain.count < 100 {
                chain.append(node)
                guard let (source, _) = analysis.shortestRetainer(of: node) else { break }
                node = source
            }
            for n in chain.reversed() where newIndex[n] == nil {
                newIndex[n] = included.count
                included.append(n)
            }
        }

        var strings = StringRemap(graph.strings)
        var nodesText = ""
        var edgesText = ""
        var edgeTotal = 0
        let kinds = analysis.kinds
        for (i, node) in included.enumerated() {
            var kept: [Int] = []
            for e in graph.edges(of: node) where newIndex[graph.target(of: e)] != nil { kept.append(e) }
            let detachedness = graph.detachedness.isEmpty ? 0 : graph.detachedness[node]
            nodesText += "\(i == 0 ? "" : ",")\(graph.nodeTypes[node]),\(strings.index(graph.nodeNames[node])),\(graph.nodeIds[node]),\(graph.selfSizes[node]),\(kept.count),0,\(detachedness)\n"
            for e in kept {
                let t = graph.edgeTypes[e]
                let name = kinds.hasStringName(t) ? UInt32(strings.index(graph.edgeNames[e])) : graph.edgeNames[e]
                edgesText += "\(edgeTotal == 0 ? "" : ",")\(t),\(name),\(newIndex[graph.target(of: e)]! * 7)\n"
                edgeTotal += 1
            }
        }
        var locationsText = ""
        for i in 0..<graph.locations.count {
            let l = graph.locations[i]
            guard let n = newIndex[Int(l.node)] else { continue }
            locationsText += "\(locationsText.isEmpty ? "" : ",")\(n * 7),\(l.scriptId),\(l.line),\(l.column)\n"
        }
        let meta = """
        {"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],\
        "node_types":[\(jsonList(graph.meta.nodeTypeNames)),"string","number","number","number","number","number"],\
        "edge_fields":["type","name_or_index","to_node"],\
        "edge_types":[\(jsonList(graph.meta.edgeTypeNames)),"string_or_number","node"],\
        "trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],\
        "trace_node_fields":["id","function_info_index","count","size","children"],\
        "sample_fields":["timestamp_us","last_assigned_id"],\
        "location_fields":["object_index","script_id","line","column"]}
        """
        let file = try OutputFile(path: path)
        try file.write("{\"snapshot\":{\"meta\":\(meta),\"node_count\":\(included.count),\"edge_count\":\(edgeTotal),\"trace_function_count\":0},\n")
        try file.write("\"nodes\":[\(nodesText)],\n\"edges\":[\(edgesText)],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n")
        try file.write("\"locations\":[\(locationsText)],\n\"strings\":[")
        for (i, s) in strings.ordered.enumerated() {
            try file.write((i == 0 ? "" : ",\n") + JavaScriptStrings.jsonQuoted(s))
        }
        try file.write("]}\n")
        try file.commit()
        return Written(nodes: included.count, complete: complete)
    }

    private static func jsonList(_ items: [String]) -> String {
        "[" + items.map(JavaScriptStrings.jsonQuoted).joined(separator: ",") + "]"
    }

    /// Old string index → index in the new file's string list (`<dummy>` first, as V8 writes).
    private struct StringRemap {
        let source: StringTable
        var map: [UInt32: Int] = [:]
        var ordered = ["<dummy>"]

        init(_ source: StringTable) { self.source = source }

        mutating func index(_ old: UInt32) -> Int {
            if let i = map[old] { return i }
            ordered.append(source[old])
            map[old] = ordered.count - 1
            return ordered.count - 1
        }
    }
}
