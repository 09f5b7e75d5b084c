/// Reverse adjacency (who points to each node), built with a counting sort in DevTools'
/// order: `first[n]..<first[n+1]` index `sources` (retaining node) and `edges` (edge ordinal).
struct Retainers: Sendable {
    var first: [UInt32]
    var sources: [UInt32]
    var edges: [UInt32]

    init(_ graph: HeapGraph) {
        let n = graph.nodeCount, edgeCount = graph.edgeCount
        var first = [UInt32](repeating: 0, count: n + 1)
        var sources = [UInt32](repeating: 0, count: edgeCount)
        var edges = [UInt32](repeating: 0, count: edgeCount)
        graph.edgeTargets.withUnsafeBufferPointer { targets in
            for t in targets { first[Int(t)] += 1 }
            // first[n] becomes the start of n's block; sources[start] temporarily holds the block's fill count.
            var position: UInt32 = 0
            for node in 0..<n {
                let count = first[node]
                first[node] = position
                if count > 0 { sources[Int(position)] = count }
                position += count
            }
            first[n] = UInt32(edgeCount)
            graph.firstEdge.withUnsafeBufferPointer { firstEdge in
                for source in 0..<n {
                    for e in Int(firstEdge[source])..<Int(firstEdge[source + 1]) {
                        let blockStart = Int(first[Int(targets[e])])
                        sources[blockStart] -= 1
                        let slot = blockStart + Int(sources[blockStart])
                        sources[slot] = UInt32(source)
                        edges[slot] = UInt32(e)
                    }
                }
            }
        }
        self.first = first
        self.sources = sources
        self.edges = edges
    }

    func of(_ node: Int) -> Range<Int> { Int(first[node])..<Int(first[node + 1]) }
}
