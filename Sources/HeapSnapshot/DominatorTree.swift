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
    let retainedSizes: RetainedSizes
    /// Nodes not reachable from the root over essential edges.
    let unreachableCount: Int

    init(graph: HeapGraph, retainers: Retainers, essential: BitVector, selfSizes: [UInt32]) {
        let n = graph.nodeCount
        var workspace = Workspace(count: n + 1)
        let rootVertex = UInt32(graph.rootOrdinal + 1)
        var reachedFromRoot = 0
        graph.firstEdge.withUnsafeBufferPointer { firstEdge in
            graph.edgeTargets.withUnsafeBufferPointer { targets in
                retainers.first.withUnsafeBufferPointer { retainerStart in
                    retainers.sources.withUnsafeBufferPointer { retainerSources in
                        workspace.search(from: rootVertex, firstEdge: firstEdge, targets: targets, essential: essential)
                        reachedFromRoot = Int(workspace.visited)
                        if reachedFromRoot < n {
                            for w in 1...UInt32(n) where workspace.semi[Int(w)] == 0 {
                                let node = Int(w) - 1
                                // Only non-essential (e.g. weak) retainers: the retainer lists hold essential edges only.
                                if retainerStart[node] == retainerStart[node + 1] {
                                    workspace.parent[Int(w)] = rootVertex
                                    workspace.search(from: w, firstEdge: firstEdge, targets: targets, essential: essential)
                                }
                            }
                        }
                        if Int(workspace.visited) < n {
                            for w in 1...UInt32(n) where workspace.semi[Int(w)] == 0 {
                                workspace.parent[Int(w)] = rootVertex
                                workspace.number(w)
                            }
                        }
                        workspace.computeDominators(rootVertex: rootVertex, retainerStart: retainerStart,
                                                    retainerSources: retainerSources)
                    }
                }
            }
        }
        // Free the search arrays before the results are allocated, to lower the peak.
        workspace.releaseSearchBuffers()
        defer { workspace.dom.deallocate(); workspace.vertex.deallocate() }
        var dominators = [UInt32](repeating: 0, count: n)
        var retained = [Double](repeating: 0, count: n)
        let dom = workspace.dom, vertex = workspace.vertex
        for node in 0..<n {
            dominators[node] = dom[node + 1] &- 1
            retained[node] = Double(selfSizes[node])
        }
        let total = Int(workspace.visited)
        if total >= 2 {
            for i in stride(from: total, to: 1, by: -1) {
                let node = Int(vertex[i]) - 1
                retained[Int(dominators[node])] += retained[node]
            }
        }
        self.dominators = dominators
        self.retainedSizes = RetainedSizes(consume retained)
        self.unreachableCount = n - reachedFromRoot
    }
}

/// The Lengauer–Tarjan arrays, 1-based (0 means "none"), in manually managed buffers so the
/// inner loops run without reference counting or exclusivity checks. Seven arrays of n + 1
/// words: the DFS cursors share `bucketNext` (dead before the buckets are used), the bucket
/// heads live in `dom` (see `computeDominators`), and the path-compression stack grows on demand.
private struct Workspace {
    let parent, ancestor, vertex, label, semi, dom, bucketNext, cursor: UnsafeMutableBufferPointer<UInt32>
    /// Path-compression stack of `evaluate`: as deep as the longest forest path, usually short.
    var stack: UnsafeMutableBufferPointer<UInt32>
    var visited: UInt32 = 0

    init(count: Int) {
        func make() -> UnsafeMutableBufferPointer<UInt32> {
            let b = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        parent = make(); ancestor = make(); vertex = make(); label = make(); semi = make()
        dom = make(); bucketNext = make()
        cursor = bucketNext
        stack = .allocate(capacity: 1024)
    }

    /// Frees everything but `dom` and `vertex` (which the caller frees after reading them).
    func releaseSearchBuffers() {
        for b in [parent, ancestor, label, semi, bucketNext, stack] { b.deallocate() }
    }

    /// Doubles the path-compression stack, keeping its first `count` entries.
    mutating func growStack(keeping count: Int) {
        let bigger = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: stack.count * 2)
        _ = bigger.initialize(from: stack[..<min(count, stack.count)])
        stack.deallocate()
        stack = bigger
    }

    /// Gives vertex `v` the next DFS number.
    mutating func number(_ v: UInt32) {
        visited += 1
        semi[Int(v)] = visited
        vertex[Int(visited)] = v
        label[Int(v)] = v
    }

    /// Iterative DFS over essential edges; `cursor[v]` is the next edge of vertex v to look at.
    mutating func search(from start: UInt32, firstEdge: UnsafeBufferPointer<UInt32>, targets: UnsafeBufferPointer<UInt32>, essential: BitVector) {
        cursor[Int(start)] = firstEdge[Int(start) - 1]
        var v = start
        while v != 0 {
            if semi[Int(v)] == 0 { number(v) }
            var next = parent[Int(v)]
            let end = firstEdge[Int(v)]         // firstEdge[node + 1] with node = v - 1
            var e = cursor[Int(v)]
            while e < end {
                if essential[Int(e)] {
                    let w = targets[Int(e)] + 1
                    if semi[Int(w)] == 0 {
                        parent[Int(w)] = v
                        cursor[Int(w)] = firstEdge[Int(w) - 1]
                        next = w
                        break
                    }
                }
                e += 1
            }
            cursor[Int(v)] = e
            v = next
        }
    }

    /// eval() with iterative path compression.
    @inline(__always)
    mutating func evaluate(_ v0: UInt32) -> UInt32 {
        if ancestor[Int(v0)] == 0 { return v0 }
        var v = v0
        var depth = 0
        while ancestor[Int(ancestor[Int(v)])] != 0 {
            depth += 1
            if depth == stack.count { growStack(keeping: depth) }
            stack[depth] = v
            v = ancestor[Int(v)]
        }
        while depth > 0 {
            let x = Int(stack[depth])
            depth -= 1
            let a = Int(ancestor[x])
            if semi[Int(label[a])] < semi[Int(label[x])] { label[x] = label[a] }
            ancestor[x] = ancestor[a]
        }
        return label[Int(v0)]
    }

    /// Semidominators, then immediate dominators. Bucket heads are kept in `dom`: `dom[v]` is
    /// only written once v's own step has begun, and v's bucket is only filled and emptied in
    /// the steps of vertices numbered after v (which come first). A bucket left over when its
    /// vertex's step begins is never emptied, so the step drops it, and a vertex that is its
    /// own semidominator (an unreachable cycle) never enters a bucket: `dom` stays 0 for both,
    /// as with separate bucket heads.
    mutating func computeDominators(rootVertex: UInt32, retainerStart: UnsafeBufferPointer<UInt32>, retainerSources: UnsafeBufferPointer<UInt32>) {
        let total = Int(visited)
        let bucketHead = dom
        if total >= 2 {
            for i in stride(from: total, through: 2, by: -1) {
                let w = vertex[i]
                let node = Int(w) - 1
                bucketHead[Int(w)] = 0
                var hasRetainer = false
                for r in Int(retainerStart[node])..<Int(retainerStart[node + 1]) {
                    hasRetainer = true
                    let u = evaluate(retainerSources[r] + 1)
                    if semi[Int(u)] < semi[Int(w)] { semi[Int(w)] = semi[Int(u)] }
                }
                if !hasRetainer { semi[Int(w)] = semi[Int(rootVertex)] }
                let semiVertex = Int(vertex[Int(semi[Int(w)])])
                if semiVertex != Int(w) {
                    bucketNext[Int(w)] = bucketHead[semiVertex]
                    bucketHead[semiVertex] = w
                }
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
    }
}
