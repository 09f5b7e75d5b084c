/// One step of a retainer path: the edge taken and the node it leads to.
public struct RetainerStep: Sendable, Equatable, Codable {
    /// Edge type: `property`, `context` (closure variable), `element`, `internal`, `shortcut`...
    public var edgeType: String
    /// Property or variable name, or the element index as a string.
    public var edgeName: String
    public var nodeId: UInt32
    public var nodeType: String
    public var className: String
    /// The node's own name when it says more than the class (e.g. a function's name).
    public var nodeName: String
    public var retainedSize: Double
    /// Where a closure was defined (nil for other nodes and closures without a location).
    public var location: CodeLocation?
    /// The step as the path text shows it (`registry: Map`); empty for steps that only repeat
    /// what the previous one said (a closure's context, a Map's table).
    public var text: String
}

/// A position in a script, as DevTools shows it: line and column 1-based.
public struct CodeLocation: Sendable, Equatable, Codable {
    public var scriptId: UInt32
    /// The script's URL from the snapshot's `.scripts.json` side file, when present.
    public var url: String?
    public var line: UInt32
    public var column: UInt32
}

extension SnapshotAnalysis {
    /// The retainer of `node` on a shortest path from the roots: the edge through which the
    /// distance BFS first reached it. Nil for the root and unreached nodes.
    func shortestRetainer(of node: Int) -> (source: Int, edge: Int)? {
        let e = parentEdges[node]
        guard e != Distances.noEdge else { return nil }
        return (graph.source(of: Int(e)), Int(e))
    }

    /// The shortest retainer path from a root to `node`, root side first (the synthetic root
    /// itself is left out), preferring user roots and avoiding transient ones. Empty when the
    /// node is unreachable.
    public func retainerPath(to node: Int, scripts: ScriptNames = ScriptNames(), maxSteps: Int = 100) -> [RetainerStep] {
        var hops: [(edge: Int, node: Int)] = []
        var current = node
        while hops.count < maxSteps, let (source, edge) = shortestRetainer(of: current) {
            hops.append((edge, current))
            current = source
        }
        hops.reverse()
        var steps: [RetainerStep] = []
        for (i, hop) in hops.enumerated() {
            var s = step(edge: hop.edge, to: hop.node, scripts: scripts)
            s.text = ReadableStep(analysis: self, scripts: scripts).text(edge: hop.edge, node: hop.node, first: i == 0, last: i == hops.count - 1)
            steps.append(s)
        }
        return steps
    }

    func step(edge: Int, to node: Int, scripts: ScriptNames) -> RetainerStep {
        let t = graph.edgeTypes[edge]
        let name = kinds.hasStringName(t) ? graph.strings[graph.edgeNames[edge]] : String(graph.edgeNames[edge])
        return RetainerStep(edgeType: graph.edgeTypeName(edge), edgeName: name, nodeId: graph.nodeIds[node],
                            nodeType: graph.typeName(of: node), className: className(of: node),
                            nodeName: displayName(of: node), retainedSize: retainedSizes[node],
                            location: graph.nodeTypes[node] == kinds.closure ? codeLocation(of: node, scripts: scripts) : nil, text: "")
    }

    /// The definition site of a function (from the snapshot's `locations`), 1-based.
    func codeLocation(of node: Int, scripts: ScriptNames) -> CodeLocation? {
        // A line or column of UInt32.max has no 1-based form: only a damaged snapshot has one.
        guard let l = graph.locations.location(ofNode: UInt32(node)), l.line < .max, l.column < .max else { return nil }
        return CodeLocation(scriptId: l.scriptId, url: scripts.urls[l.scriptId], line: l.line + 1, column: l.column + 1)
    }

    /// A short name for a node: its V8 name, cut to 80 characters, and for strings quoted.
    public func displayName(of node: Int) -> String {
        var name = graph.name(of: node)
        if name.count > 80 { name = String(name.prefix(77)) + "..." }
        if isString(node) { return JavaScriptStrings.jsonQuoted(name) }
        return name
    }

    func isString(_ node: Int) -> Bool {
        graph.nodeTypes[node] == kinds.string || graph.nodeTypes[node] == kinds.consString || graph.nodeTypes[node] == kinds.slicedString
    }
}

extension SourceLocations {
    /// The record of node ordinal `node`, if it has one (binary search over the sorted records).
    func location(ofNode node: UInt32) -> SourceLocation? {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if UInt32(truncatingIfNeeded: records[mid] >> 32) < node { lo = mid + 1 } else { hi = mid }
        }
        guard lo < count, UInt32(truncatingIfNeeded: records[lo] >> 32) == node else { return nil }
        return self[lo]
    }
}

/// Renders paths the way a person reads them: `global → trackRequest: trackRequest (app.js:23) → registry: Map → 'req-7': RequestRecord @82799`.
public enum RetainerPathText {
    public static func render(_ steps: [RetainerStep]) -> String {
        steps.map(\.text).filter { !$0.isEmpty }.joined(separator: " → ")
    }
}
