import DiagSupport

/// Writes a small, valid `.heapsnapshot` holding only the suspects: each representative with
/// the objects it dominates (up to a limit) and its retainer path from the root, with the
/// original ids, names, types and V8 self sizes, so it opens in DevTools even when the
/// original is too big to load.
public enum SuspectsSnapshotWriter {
    /// Most objects taken from under one representative, and in the whole file.
    public static let subtreeLimit = 5000
    public static let totalLimit = 200_000

    /// Writes the file at `path` (mode 0600, atomically). Returns the number of nodes written.
    @discardableResult
    public static func write(path: String, analysis: SnapshotAnalysis, representatives: [Int]) throws -> Int {
        let graph = analysis.graph
        var included: [Int] = [graph.rootOrdinal]
        var newIndex = [Int: Int]()
        newIndex[graph.rootOrdinal] = 0
        func include(_ node: Int) {
            if newIndex[node] == nil { newIndex[node] = included.count; included.append(node) }
        }
        let dominated = analysis.dominated
        for representative in representatives where included.count < totalLimit {
            var node = representative
            var chain: [Int] = []
            while let (source, _) = analysis.shortestRetainer(of: node), chain.count < 100 {
                chain.append(source)
                node = source
            }
            chain.reversed().forEach(include)
            var queue = [representative]
            var taken = 0
            var head = 0
            while head < queue.count && taken < subtreeLimit {
                let n = queue[head]
                head += 1
                include(n)
                taken += 1
                queue.append(contentsOf: dominated.of(n).map(Int.init))
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
        return included.count
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
