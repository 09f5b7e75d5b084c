/// Which edges count for dominators and retained sizes, as DevTools decides: not weak, not a
/// self-edge, not a WeakMap table→value edge, `shortcut` only from the root, and no edge from
/// outside the page-owned set (objects reachable from the user roots) into it.
enum EssentialEdges {
    /// Nodes reachable from the root's shortcut edges (and `(Document DOM trees)`) over non-weak edges.
    static func pageOwned(_ graph: HeapGraph, _ kinds: NodeKinds) -> BitVector {
        var owned = BitVector(count: graph.nodeCount)
        var stack: [UInt32] = []
        for e in graph.edges(of: graph.rootOrdinal) {
            let t = graph.edgeTypes[e], target = Int(graph.edgeTargets[e])
            if t == kinds.element {
                guard graph.nodeTypes[target] == kinds.synthetic, graph.strings.equals(graph.nodeNames[target], "(Document DOM trees)") else { continue }
            } else if t != kinds.shortcut {
                continue
            }
            stack.append(UInt32(target))
            owned[target] = true
        }
        while let node = stack.popLast() {
            for e in graph.edges(of: Int(node)) {
                let target = Int(graph.edgeTargets[e])
                if owned[target] || graph.edgeTypes[e] == kinds.weak { continue }
                owned[target] = true
                stack.append(UInt32(target))
            }
        }
        return owned
    }

    static func compute(_ graph: HeapGraph, _ kinds: NodeKinds, pageOwned: BitVector) -> BitVector {
        var essential = BitVector(count: graph.edgeCount)
        var weakMapNames = WeakMapEdgeNames(stringCount: graph.strings.count)
        let root = graph.rootOrdinal
        for source in 0..<graph.nodeCount {
            for e in graph.edges(of: source) {
                let t = graph.edgeTypes[e]
                if t == kinds.internalEdge, let parsed = weakMapEdgeNamesLookup(&weakMapNames, graph, e),
                   graph.nodeIds[source] == parsed { continue }
                if t == kinds.weak { continue }
                let target = Int(graph.edgeTargets[e])
                if target == source { continue }
                if source != root {
                    if t == kinds.shortcut { continue }
                    if pageOwned[target] && !pageOwned[source] { continue }
                }
                essential[e] = true
            }
        }
        return essential
    }

    private static func weakMapEdgeNamesLookup(_ names: inout WeakMapEdgeNames, _ graph: HeapGraph, _ edge: Int) -> UInt32? {
        names.lookup(graph.edgeNames[edge], in: graph.strings)?.tableId
    }
}
