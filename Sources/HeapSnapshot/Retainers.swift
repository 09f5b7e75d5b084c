/// Reverse adjacency over essential edges only (who holds each node strongly, for the
/// dominator tree): `first[n]..<first[n+1]` index `sources`, each list in ordinal order.
struct Retainers: Sendable {
    private let groups: OrdinalGroups

    init(_ graph: HeapGraph, essential: BitVector) {
        let n = graph.nodeCount
        groups = graph.firstEdge.withUnsafeBufferPointer { firstEdge in
            graph.edgeTargets.withUnsafeBufferPointer { targets in
                OrdinalGroups(groupCount: n) { place in
                    for source in stride(from: n - 1, through: 0, by: -1) {
                        for e in stride(from: Int(firstEdge[source + 1]) - 1, through: Int(firstEdge[source]), by: -1) where essential[e] {
                            place(Int(targets[e]), UInt32(source))
                        }
                    }
                }
            }
        }
    }

    var first: [UInt32] { groups.start }
    var sources: [UInt32] { groups.members }
}
