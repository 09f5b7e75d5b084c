/// Objects that appeared between snapshots and are still alive, grouped under their topmost
/// new owner in the dominator tree, with groups of similar retainer paths clustered.
///
/// With two snapshots (A, B) the candidates are B's objects whose id is not in A. With three
/// (memlab's baseline/target/final method) they are C's objects whose id is in B but not in A:
/// allocated between A and B and still alive at C.
public struct RetainedGrowth: Sendable {
    /// A set of groups whose heads have the same normalized retainer path and class.
    public struct Cluster: Sendable {
        /// Normalized path, e.g. `global.recordRequest ->context ->leakStore {table} [] LeakyRecord`.
        public var signature: String
        /// Number of groups (topmost new owners).
        public var groups: Int
        /// New objects in all groups.
        public var newObjects: Int
        /// Σ retained size of the group heads.
        public var retainedSize: Double
        /// The head with the largest retained size, and its shortest retainer path.
        public var representative: Int
        public var representativeId: UInt32
        /// Some group heads (up to `headSampleLimit`), for the suspects file.
        public var sampleHeads: [Int]
        public var path: [RetainerStep]
        /// New objects by class name, largest retained size first. The retained size of a class
        /// counts only instances not dominated by another new instance of the same class.
        public var classes: [ClassGrowth]
    }

    /// New objects of one class inside a cluster.
    public struct ClassGrowth: Sendable, Equatable {
        public var name: String
        public var count: Int
        public var shallowSize: UInt64
        public var retainedSize: Double
        /// Whether the class is a JavaScript object class (not a string, array storage, code...).
        public var isJavaScriptObject: Bool
    }

    /// How many group heads per cluster are kept for the suspects file.
    public static let headSampleLimit = 100

    /// Σ retained size of every group head: the memory held by new objects.
    public var totalRetainedSize: Double
    /// Number of candidate (new and alive) objects.
    public var newObjects: Int
    /// Clusters, largest retained size first.
    public var clusters: [Cluster]

    /// Computes the growth in `target` for objects accepted by `isCandidate(id)`.
    public init(target: SnapshotAnalysis, isCandidate: (UInt32) -> Bool) {
        let graph = target.graph
        let n = graph.nodeCount
        var candidate = BitVector(count: n)
        var newObjects = 0
        // Only JavaScript heap objects (odd ids): V8 re-creates embedder (native, even id) nodes per snapshot.
        for node in 0..<n where graph.nodeTypes[node] != target.kinds.synthetic && graph.nodeIds[node] & 1 == 1
            && isCandidate(graph.nodeIds[node]) {
            candidate[node] = true
            newObjects += 1
        }
        // Walk the dominator tree: a candidate with no candidate above it heads a group. Within a
        // group, a class's retained size counts instances with no same-class new ancestor.
        var group = [UInt32](repeating: UInt32.max, count: n)
        var topmostOfClass = BitVector(count: n)
        var heads: [UInt32] = []
        var open = [Bool](repeating: false, count: target.classKeys.keys.count)
        var closers: [(height: Int, key: UInt32)] = []
        var stack: [(node: UInt32, group: UInt32)] = [(UInt32(graph.rootOrdinal), UInt32.max)]
        let dominated = target.dominated
        while let (node, inherited) = stack.popLast() {
            let v = Int(node)
            var g = inherited
            if g == UInt32.max && candidate[v] {
                g = UInt32(heads.count)
                heads.append(node)
            }
            let children = dominated.of(v)
            if candidate[v] {
                group[v] = g
                let key = target.classKeys.keyOfNode[v]
                if !open[Int(key)] {
                    topmostOfClass[v] = true
                    if !children.isEmpty {
                        open[Int(key)] = true
                        closers.append((stack.count, key))
                    }
                }
            }
            for child in children { stack.append((child, g)) }
            while let last = closers.last, last.height == stack.count {
                closers.removeLast()
                open[Int(last.key)] = false
            }
        }
        // Per group: new object count and classes.
        var groupObjects = [Int](repeating: 0, count: heads.count)
        for node in 0..<n where group[node] != UInt32.max { groupObjects[Int(group[node])] += 1 }

        var signatures = PathSignatures(analysis: target)
        var clusterOf: [String: Int] = [:]
        var clusters: [Cluster] = []
        var clusterClasses: [[String: ClassGrowth]] = []
        var clusterOfGroup = [Int](repeating: 0, count: heads.count)
        var total = 0.0
        for (g, head) in heads.enumerated() {
            let h = Int(head)
            let retained = target.retainedSizes[h]
            total += retained
            let signature = signatures.signature(of: h)
            let c: Int
            if let existing = clusterOf[signature] { c = existing } else {
                c = clusters.count
                clusterOf[signature] = c
                clusters.append(Cluster(signature: signature, groups: 0, newObjects: 0, retainedSize: 0, representative: h,
                                        representativeId: graph.nodeIds[h], sampleHeads: [], path: [], classes: []))
                clusterClasses.append([:])
            }
            clusterOfGroup[g] = c
            clusters[c].groups += 1
            if clusters[c].sampleHeads.count < Self.headSampleLimit { clusters[c].sampleHeads.append(h) }
            clusters[c].newObjects += groupObjects[g]
            clusters[c].retainedSize += retained
            if retained > target.retainedSizes[clusters[c].representative] {
                clusters[c].representative = h
                clusters[c].representativeId = graph.nodeIds[h]
            }
        }
        for node in 0..<n where group[node] != UInt32.max {
            let c = clusterOfGroup[Int(group[node])]
            let name = target.className(of: node)
            let type = graph.nodeTypes[node]
            let isObject = type == target.kinds.object || type == target.kinds.closure || type == target.kinds.regexp
            var entry = clusterClasses[c][name] ?? ClassGrowth(name: name, count: 0, shallowSize: 0, retainedSize: 0, isJavaScriptObject: isObject)
            entry.count += 1
            entry.shallowSize += UInt64(target.shallowSizes[node])
            if topmostOfClass[node] { entry.retainedSize += target.retainedSizes[node] }
            clusterClasses[c][name] = entry
        }
        for c in clusters.indices {
            clusters[c].classes = clusterClasses[c].values
                .sorted { $0.retainedSize != $1.retainedSize ? $0.retainedSize > $1.retainedSize : $0.name < $1.name }
        }
        clusters.sort { $0.retainedSize != $1.retainedSize ? $0.retainedSize > $1.retainedSize : $0.signature < $1.signature }
        self.totalRetainedSize = total
        self.newObjects = newObjects
        self.clusters = clusters
    }

    /// Fills in the retainer paths of the first `limit` clusters' representatives.
    public mutating func resolvePaths(in target: SnapshotAnalysis, limit: Int) {
        for c in clusters.indices.prefix(limit) {
            clusters[c].path = target.retainerPath(to: clusters[c].representative)
        }
    }
}

/// Normalized retainer-path signatures, memoized along the shortest-path tree so that many
/// heads under the same container cost one walk.
struct PathSignatures {
    let analysis: SnapshotAnalysis
    private var memo: [Int: String] = [:]

    init(analysis: SnapshotAnalysis) { self.analysis = analysis }

    mutating func signature(of node: Int) -> String {
        // Collect the chain up to a memoized node or a root, then fill in downwards.
        var chain: [(node: Int, edge: Int)] = []
        var current = node
        var prefix = ""
        while true {
            if let known = memo[current] { prefix = known; break }
            guard chain.count < 100, let (source, edge) = analysis.shortestRetainer(of: current) else {
                prefix = ""
                memo[current] = chain.isEmpty ? "(unreachable) " + analysis.className(of: current) : ""
                if chain.isEmpty { return memo[current]! }
                break
            }
            chain.append((current, edge))
            current = source
        }
        for (n, edge) in chain.reversed() {
            prefix = (prefix.isEmpty ? "" : prefix + " ") + normalizedEdge(edge) + ":" + analysis.className(of: n)
            // Heads are many and each is asked once: only the shared path above them is kept.
            if n != node { memo[n] = prefix }
        }
        return prefix
    }

    /// Edge label with indices and digit runs replaced by `#`, so similar paths compare equal.
    private func normalizedEdge(_ edge: Int) -> String {
        let graph = analysis.graph
        let t = graph.edgeTypes[edge]
        guard analysis.kinds.hasStringName(t) else { return "[#]" }
        var out = ""
        var inDigits = false
        for ch in graph.strings[graph.edgeNames[edge]] {
            if ch.isASCII && ch.isNumber { if !inDigits { out.append("#") }; inDigits = true } else { out.append(ch); inDigits = false }
        }
        switch t {
        case analysis.kinds.context: return "->" + out
        case analysis.kinds.internalEdge, analysis.kinds.hiddenEdge: return "{" + out + "}"
        default: return "." + out
        }
    }
}
