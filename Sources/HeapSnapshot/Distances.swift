/// DevTools' "Distance" column: BFS hops from the user roots (globals) over non-weak edges,
/// then from the root for everything else (offset by `systemBase`). DevTools' JavaScript edge
/// filter is applied: no `sloppy_function_map` from a NativeContext, no descriptor-array value
/// slots in `(map descriptors)`, and only the second edge of a WeakMap ephemeron pair.
enum Distances {
    /// Distance of objects reachable only from the GC roots, not from a global.
    static let systemBase: Int32 = 100_000_000
    /// Distance of nodes never reached.
    static let unreached: Int32 = -5

    /// Distances, and per node the edge through which the BFS reached it (`noEdge` for the
    /// root and unreached nodes): the shortest retainer paths.
    static let noEdge = UInt32.max

    static func compute(_ graph: HeapGraph, _ kinds: NodeKinds) -> (distances: [Int32], parentEdges: [UInt32]) {
        let n = graph.nodeCount
        var distance = [Int32](repeating: unreached, count: n)
        var parent = [UInt32](repeating: noEdge, count: n)
        var queue = [UInt32](repeating: 0, count: n)
        var queued = 0
        for e in graph.edges(of: graph.rootOrdinal) {
            let target = Int(graph.edgeTargets[e])
            // A user root the root holds twice is queued once: the queue has room for each node once.
            if graph.isUserRoot(target, kinds), parent[target] == noEdge {
                distance[target] = 1
                parent[target] = UInt32(e)
                queue[queued] = UInt32(target)
                queued += 1
            }
        }
        var filter = EdgeFilter(graph: graph, kinds: kinds)
        breadthFirst(graph, kinds, &distance, &parent, &queue, queued, &filter)
        distance[graph.rootOrdinal] = queued > 0 ? systemBase : 0
        parent[graph.rootOrdinal] = noEdge
        queue[0] = UInt32(graph.rootOrdinal)
        breadthFirst(graph, kinds, &distance, &parent, &queue, 1, &filter)
        return (distance, parent)
    }

    private static func breadthFirst(_ graph: HeapGraph, _ kinds: NodeKinds, _ distance: inout [Int32], _ parent: inout [UInt32],
                                     _ queue: inout [UInt32], _ initial: Int, _ filter: inout EdgeFilter) {
        var head = 0, tail = initial
        while head < tail {
            let node = Int(queue[head])
            head += 1
            let next = distance[node] + 1
            for e in graph.edges(of: node) where graph.edgeTypes[e] != kinds.weak {
                let target = Int(graph.edgeTargets[e])
                guard distance[target] == unreached, filter.allows(from: node, edge: e) else { continue }
                distance[target] = next
                parent[target] = UInt32(e)
                if tail < queue.count { queue[tail] = UInt32(target); tail += 1 }
            }
        }
    }

    /// The stateful JavaScript edge filter (the WeakMap pair rule remembers the first edge seen).
    private struct EdgeFilter {
        let graph: HeapGraph
        let kinds: NodeKinds
        var weakMapNames: WeakMapEdgeNames
        var pairsSeenOnce: Set<[UInt8]> = []

        init(graph: HeapGraph, kinds: NodeKinds) {
            self.graph = graph
            self.kinds = kinds
            weakMapNames = WeakMapEdgeNames(stringCount: graph.strings.count)
        }

        mutating func allows(from node: Int, edge: Int) -> Bool {
            let nodeType = graph.nodeTypes[node], edgeType = graph.edgeTypes[edge]
            let edgeName = graph.edgeNames[edge]
            if nodeType == kinds.hidden, kinds.hasStringName(edgeType),
               graph.strings.equals(edgeName, "sloppy_function_map"),
               graph.strings.equals(graph.nodeNames[node], "system / NativeContext") {
                return false
            }
            if nodeType == kinds.array, graph.strings.equals(graph.nodeNames[node], "(map descriptors)") {
                let index: UInt64? = kinds.hasStringName(edgeType) ? graph.strings.withBytes(edgeName, leadingInteger) : UInt64(edgeName)
                guard let index else { return true }
                return index < 2 || index % 3 != 1
            }
            if edgeType == kinds.internalEdge, let parsed = weakMapNames.lookup(edgeName, in: graph.strings) {
                if pairsSeenOnce.remove(parsed.pair) == nil {
                    pairsSeenOnce.insert(parsed.pair)
                    return false
                }
            }
            return true
        }
    }
}

/// JavaScript `parseInt(s, 10)` for the digits case: leading whitespace, optional sign, digits.
func leadingInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
    var i = 0
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
    if i < bytes.count, bytes[i] == UInt8(ascii: "+") { i += 1 }
    var value: UInt64 = 0
    var digits = 0
    while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39, digits < 18 {
        value = value * 10 + UInt64(bytes[i] - 0x30)
        digits += 1
        i += 1
    }
    return digits > 0 ? value : nil
}
