/// Shortest retainer paths that avoid transient GC roots: a handle scope or the stack holds an
/// object only while some native code runs, so a path through "(Handle scope)" tells a person
/// nothing to fix. Distances stay DevTools' own; only the choice among retainers changes.
enum TransientRoots {
    /// Synthetic roots whose references last only while V8 or the embedder is busy.
    static let names: Set<String> = ["(Handle scope)", "(Stack roots)", "(Relocatable)"]

    /// Re-parents the nodes reached only from the GC roots (distance ≥ `Distances.systemBase`):
    /// a breadth-first walk from the root that enters transient roots only after every other
    /// root's objects are reached. Nodes reached from a user root keep their parents.
    static func preferLastingRoots(_ graph: HeapGraph, _ kinds: NodeKinds, distances: [Int32], parentEdges: inout [UInt32]) {
        let n = graph.nodeCount
        var transient = BitVector(count: n)
        var any = false
        for node in 0..<n where graph.nodeTypes[node] == kinds.synthetic && names.contains(graph.name(of: node)) {
            transient[node] = true
            any = true
        }
        guard any else { return }
        var visited = BitVector(count: n)
        for node in 0..<n where distances[node] < Distances.systemBase { visited[node] = true }
        visited[graph.rootOrdinal] = true
        var queue: [UInt32] = [UInt32(graph.rootOrdinal)]
        var deferred: [UInt32] = []
        var head = 0
        while true {
            while head < queue.count {
                let node = Int(queue[head])
                head += 1
                for e in graph.edges(of: node) where graph.edgeTypes[e] != kinds.weak {
                    let target = Int(graph.edgeTargets[e])
                    guard !visited[target] else { continue }
                    visited[target] = true
                    parentEdges[target] = UInt32(e)
                    if transient[target] { deferred.append(UInt32(target)) } else { queue.append(UInt32(target)) }
                }
            }
            guard !deferred.isEmpty else { break }
            queue.append(contentsOf: deferred)
            deferred = []
        }
    }
}
