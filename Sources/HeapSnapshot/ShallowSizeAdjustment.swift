/// DevTools' shallow-size adjustment: a `hidden` or `array` node (or an external string's
/// data) reachable from exactly one ordinary owner, through other such nodes, has its size
/// moved onto that owner. The returned sizes are what DevTools shows as "Shallow Size".
enum ShallowSizeAdjustment {
    static func adjustedSizes(_ graph: HeapGraph, _ kinds: NodeKinds) -> [UInt32] {
        var sizes = graph.selfSizes
        guard graph.hasUserRoots(kinds) else { return sizes }
        let n = graph.nodeCount
        let unvisited = UInt32.max, multiple = UInt32.max - 1
        var owner = [UInt32](repeating: 0, count: n)
        for node in 0..<n {
            let t = graph.nodeTypes[node]
            let ownable = t == kinds.hidden || t == kinds.array
                || (t == kinds.native && graph.strings.equals(graph.nodeNames[node], "system / ExternalStringData"))
            owner[node] = ownable ? unvisited : UInt32(node)
        }
        // Every owner starts a walk, from the last one down, each drained before the next: the
        // order of one stack filled with all owners in node order, without that n-entry stack.
        var pending: [UInt32] = []
        graph.edgeTypes.withUnsafeBufferPointer { edgeTypes in
            graph.edgeTargets.withUnsafeBufferPointer { targets in
                graph.firstEdge.withUnsafeBufferPointer { firstEdge in
                    owner.withUnsafeMutableBufferPointer { owner in
                        for start in stride(from: n - 1, through: 0, by: -1) where owner[start] == UInt32(start) {
                            pending.append(UInt32(start))
                            while let node = pending.popLast() {
                                let own = owner[Int(node)]
                                for e in Int(firstEdge[Int(node)])..<Int(firstEdge[Int(node) + 1]) where edgeTypes[e] != kinds.weak {
                                    let target = Int(targets[e])
                                    switch owner[target] {
                                    case unvisited:
                                        owner[target] = own
                                        pending.append(UInt32(target))
                                    case UInt32(target), own, multiple:
                                        break
                                    default:
                                        owner[target] = multiple
                                        pending.append(UInt32(target))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for node in 0..<n {
            let o = owner[node]
            if o == unvisited || o == multiple || o == UInt32(node) { continue }
            let ownerNode = Int(o)
            if graph.nodeTypes[ownerNode] == kinds.synthetic || ownerNode == graph.rootOrdinal { continue }
            sizes[ownerNode] &+= sizes[node]   // 32-bit wrap-around, as in DevTools
            sizes[node] = 0
        }
        return sizes
    }
}
