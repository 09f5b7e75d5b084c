/// Reverse adjacency over essential edges only (who holds each node strongly, for the
/// dominator tree), built with a counting sort: `first[n]..<first[n+1]` index `sources`.
struct Retainers: Sendable {
    var first: [UInt32]
    var sources: [UInt32]

    init(_ graph: HeapGraph, essential: BitVector) {
        let n = graph.nodeCount
        var first = [UInt32](repeating: 0, count: n + 1)
        var total = 0
        graph.edgeTargets.withUnsafeBufferPointer { targets in
            for e in 0..<targets.count where essential[e] {
                first[Int(targets[e])] += 1
                total += 1
            }
        }
        var position: UInt32 = 0
        for node in 0..<n {
            let count = first[node]
            first[node] = position
            position += count
        }
        first[n] = position
        var fill = first
        var sources = [UInt32](repeating: 0, count: total)
        graph.firstEdge.withUnsafeBufferPointer { firstEdge in
            graph.edgeTargets.withUnsafeBufferPointer { targets in
                for source in 0..<n {
                    for e in Int(firstEdge[source])..<Int(firstEdge[source + 1]) where essential[e] {
                        let t = Int(targets[e])
                        sources[Int(fill[t])] = UInt32(source)
                        fill[t] += 1
                    }
                }
            }
        }
        self.first = first
        self.sources = sources
    }
}
