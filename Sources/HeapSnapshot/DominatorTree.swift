/// Immediate dominators and retained sizes by Lengauer–Tarjan ("simple" variant) with an
/// iterative DFS and iterative path compression: near-linear, no recursion at all.
///
/// It follows DevTools' procedure step by step so the tree is the same for every input:
/// the DFS walks essential edges from the root in edge order; nodes left unvisited that have
/// only non-essential retainers are then walked from in ordinal order as children of the root,
/// and any remaining ones are attached to the root directly.
struct DominatorTree: Sendable {
    /// Per node: the ordinal of its immediate dominator (the root dominates itself).
    let dominators: [UInt32]
    /// Per node: self size plus the retained sizes of the nodes it dominates.
    let retainedSizes: [Double]
    /// Nodes not reachable from the root over essential edges.
    let unreachableCount: Int

    init(graph: HeapGraph, retainers: Retainers, essential: BitVector, selfSizes: [UInt64]) {
        let n = graph.nodeCount
        let count = n + 1                       // 1-based vertices, 0 is "none"
        var parent = [UInt32](repeating: 0, count: count)
        var ancestor = [UInt32](repeating: 0, count: count)
        var vertex = [UInt32](repeating: 0, count: count)
        var label = [UInt32](repeating: 0, count: count)
        var semi = [UInt32](repeating: 0, count: count)
        var cursor = [UInt32](repeating: 0, count: n)
        var visited: UInt32 = 0
        let rootVertex = UInt32(graph.rootOrdinal + 1)
        var reachedFromRoot = 0

        graph.firstEdge.withUnsafeBufferPointer { firstEdge in
        graph.edgeTargets.withUnsafeBufferPointer { targets in
            func dfs(from start: UInt32) {
                cursor[Int(start) - 1] = firstEdge[Int(start) - 1]
                var v = start
                while v != 0 {
                    if semi[Int(v)] == 0 {
                        visited += 1
                        semi[Int(v)] = visited
                        vertex[Int(visited)] = v
                        label[Int(v)] = v
                    }
                    var next = parent[Int(v)]
                    let node = Int(v) - 1
                    while cursor[node] < firstEdge[node + 1] {
                        let e = Int(cursor[node])
                        if essential[e] {
                            let targetNode = Int(targets[e])
                            let w = UInt32(targetNode + 1)
                            if semi[Int(w)] == 0 {
                                parent[Int(w)] = v
                                cursor[targetNode] = firstEdge[targetNode]
                                next = w
                                break
                            }
                        }
                        cursor[node] += 1
                    }
                    v = next
                }
            }

            dfs(from: rootVertex)
            reachedFromRoot = Int(visited)
            if Int(visited) < n {
                for w in 1...UInt32(n) where semi[Int(w)] == 0 {
                    let node = Int(w) - 1
                    let onlyWeak = retainers.of(node).allSatisfy { !essential[Int(retainers.edges[$0])] }
                    if onlyWeak {
                        parent[Int(w)] = rootVertex
                        dfs(from: w)
                    }
                }
            }
            if Int(visited) < n {
                for w in 1...UInt32(n) where semi[Int(w)] == 0 {
                    parent[Int(w)] = rootVertex
                    visited += 1
                    semi[Int(w)] = visited
                    vertex[Int(visited)] = w
                    label[Int(w)] = w
                }
            }
        }
        }

        // eval with iterative path compression.
        var compressStack = [UInt32](repeating: 0, count: count)
        func evaluate(_ v0: UInt32) -> UInt32 {
            if ancestor[Int(v0)] == 0 { return v0 }
            var v = v0
            var depth = 0
            while ancestor[Int(ancestor[Int(v)])] != 0 {
                depth += 1
                compressStack[depth] = v
                v = ancestor[Int(v)]
            }
            while depth > 0 {
                let x = Int(compressStack[depth])
                depth -= 1
                let a = Int(ancestor[x])
                if semi[Int(label[a])] < semi[Int(label[x])] { label[x] = label[a] }
                ancestor[x] = ancestor[a]
            }
            return label[Int(v0)]
        }

        var dom = [UInt32](repeating: 0, count: count)
        var bucketHead = [UInt32](repeating: 0, count: count)
        var bucketNext = [UInt32](repeating: 0, count: count)
        let total = Int(visited)
        if total >= 2 {
            for i in stride(from: total, through: 2, by: -1) {
                let w = vertex[i]
                let node = Int(w) - 1
                var hasRetainer = false
                for r in retainers.of(node) where essential[Int(retainers.edges[r])] {
                    hasRetainer = true
                    let u = evaluate(retainers.sources[r] + 1)
                    if semi[Int(u)] < semi[Int(w)] { semi[Int(w)] = semi[Int(u)] }
                }
                if !hasRetainer { semi[Int(w)] = semi[Int(rootVertex)] }
                let semiVertex = Int(vertex[Int(semi[Int(w)])])
                bucketNext[Int(w)] = bucketHead[semiVertex]
                bucketHead[semiVertex] = w
                let p = Int(parent[Int(w)])
                ancestor[Int(w)] = UInt32(p)
                var v = bucketHead[p]
                while v != 0 {
                    let u = evaluate(v)
                    dom[Int(v)] = semi[Int(u)] < semi[Int(v)] ? u : UInt32(p)
                    v = bucketNext[Int(v)]
                }
                bucketHead[p] = 0
            }
        }
        dom[0] = rootVertex
        dom[Int(rootVertex)] = rootVertex
        if total >= 2 {
            for i in 2...total {
                let w = Int(vertex[i])
                if dom[w] != vertex[Int(semi[w])] { dom[w] = dom[Int(dom[w])] }
            }
        }

        var dominators = [UInt32](repeating: 0, count: n)
        var retained = [Double](repeating: 0, count: n)
        for node in 0..<n {
            dominators[node] = dom[node + 1] &- 1
            retained[node] = Double(UInt32(truncatingIfNeeded: selfSizes[node]))
        }
        if total >= 2 {
            for i in stride(from: total, to: 1, by: -1) {
                let node = Int(vertex[i]) - 1
                retained[Int(dominators[node])] += retained[node]
            }
        }
        self.dominators = dominators
        self.retainedSizes = retained
        self.unreachableCount = n - reachedFromRoot
    }
}

