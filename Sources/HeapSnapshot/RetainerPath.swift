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
    /// itself is left out). Empty when the node is unreachable.
    public func retainerPath(to node: Int, maxSteps: Int = 100) -> [RetainerStep] {
        var steps: [RetainerStep] = []
        var current = node
        while steps.count < maxSteps, let (source, edge) = shortestRetainer(of: current) {
            steps.append(step(edge: edge, to: current))
            current = source
        }
        return steps.reversed()
    }

    func step(edge: Int, to node: Int) -> RetainerStep {
        let t = graph.edgeTypes[edge]
        let name = kinds.hasStringName(t) ? graph.strings[graph.edgeNames[edge]] : String(graph.edgeNames[edge])
        return RetainerStep(edgeType: graph.edgeTypeName(edge), edgeName: name, nodeId: graph.nodeIds[node],
                            nodeType: graph.typeName(of: node), className: className(of: node),
                            nodeName: displayName(of: node), retainedSize: retainedSizes[node])
    }

    /// A short name for a node: its V8 name, cut to 80 characters, and for strings quoted.
    public func displayName(of node: Int) -> String {
        var name = graph.name(of: node)
        if name.count > 80 { name = String(name.prefix(77)) + "..." }
        if graph.nodeTypes[node] == kinds.string || graph.nodeTypes[node] == kinds.consString || graph.nodeTypes[node] == kinds.slicedString {
            return JavaScriptStrings.jsonQuoted(name)
        }
        return name
    }
}

/// Renders paths the way a person reads them: `global.recordRequest → context → leakStore (Map) → …`.
public enum RetainerPathText {
    public static func render(_ steps: [RetainerStep]) -> String {
        var parts: [String] = []
        for (i, s) in steps.enumerated() {
            let label: String
            switch s.edgeType {
            case "element", "hidden": label = "[\(s.edgeName)]"
            case "context": label = "->\(s.edgeName)"
            case "internal": label = "{\(s.edgeName)}"
            case "weak": label = "[[\(s.edgeName)]]"
            default: label = i == 0 ? "" : (s.edgeName.contains(" ") ? "[\"\(s.edgeName)\"]" : ".\(s.edgeName)")
            }
            let what = i == 0 ? s.nodeName : "\(label) (\(s.className) @\(s.nodeId))"
            parts.append(what)
        }
        return parts.joined(separator: " ")
    }
}
