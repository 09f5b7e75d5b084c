/// Objects that appeared between snapshots and are still alive, grouped under their topmost
/// new owner in the dominator tree, with groups of similar retainer paths clustered.
///
/// With two snapshots (A, B) the candidates are B's objects whose id is not in A. With three
/// (memlab's baseline/target/final method) they are C's objects whose id is in B but not in A:
/// allocated between A and B and still alive at C.
public struct RetainedGrowth: Sendable {
    /// A set of groups whose heads are held the same way: the same normalized retainer path up
    /// to the edge that holds the head (memlab's clustering), whatever the head's class.
    public struct Cluster: Sendable {
        /// Normalized path, e.g. `.recordRequest:Function {context}:system / Context ->leakStore:Map {table}:(array) {#}`.
        public var signature: String
        /// Number of groups (topmost new owners).
        public var groups: Int
        /// New objects in all groups.
        public var newObjects: Int
        /// Σ retained size of the group heads.
        public var retainedSize: Double
        /// The largest new object of `mainClass`, and its shortest retainer path (through the
        /// head of its group).
        public var representative: Int
        public var representativeId: UInt32
        /// Every new object of the cluster (node ordinals), for the suspects file.
        public var members: [UInt32]
        /// What the suspects file writes of the cluster: the representative first, then every new object.
        public var suspectsFileObjects: [Int] { [representative] + members.map(Int.init) }
        public var path: [RetainerStep]
        /// New objects by class name, largest retained size first. The retained size of a class
        /// counts only instances not dominated by another new instance of the same class.
        public var classes: [ClassGrowth]
        /// The objects that grow, as a person names them (see `namingClass`).
        public var mainClass: String = ""
        /// New objects of `mainClass` in the cluster.
        public var count: Int = 0
        /// Growth that is only V8 bookkeeping (compiled code, object shapes, feedback, caches):
        /// no JavaScript object grows, and the head is V8-internal or nothing else grows.
        public var isV8Internal: Bool = false
    }

    /// New objects of one class inside a cluster.
    public struct ClassGrowth: Sendable, Equatable {
        public var name: String
        public var count: Int
        public var shallowSize: UInt64
        public var retainedSize: Double
        /// Whether the class is a JavaScript object class (not a string, array storage, code...).
        public var isJavaScriptObject: Bool
        /// Whether its objects are JavaScript values (strings, numbers, symbols, BigInts).
        public var isJavaScriptValue: Bool = false
        /// A user's class or object literal: a JavaScript object that is neither a closure nor
        /// a built-in container (Array, Object, Map, Set).
        public var isUserObject: Bool = false
        /// The instance with the largest retained size.
        public var example: Int = -1
    }

    /// The class a cluster is named after: the objects that grow, not the closures or arrays
    /// that hold them. User classes first, then other JavaScript objects, then anything; by
    /// retained size, then count.
    static func namingClass(_ classes: [ClassGrowth]) -> ClassGrowth? {
        func rank(_ c: ClassGrowth) -> Int { c.isUserObject ? (c.name.hasPrefix("{") ? 1 : 0) : c.isJavaScriptObject ? 2 : c.isJavaScriptValue ? 3 : 4 }
        return classes.min { (rank($0), -$0.retainedSize, -$0.count, $0.name) < (rank($1), -$1.retainedSize, -$1.count, $1.name) }
    }

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
                                        representativeId: graph.nodeIds[h], members: [], path: [], classes: []))
                clusterClasses.append([:])
            }
            clusterOfGroup[g] = c
            clusters[c].groups += 1
            clusters[c].newObjects += groupObjects[g]
            clusters[c].retainedSize += retained
            if retained > target.retainedSizes[clusters[c].representative] {
                clusters[c].representative = h
                clusters[c].representativeId = graph.nodeIds[h]
            }
        }
        let valueTypes: Set<UInt8> = Set(["number", "bigint", "symbol"].map { graph.meta.nodeType($0) })
        for node in 0..<n where group[node] != UInt32.max {
            let c = clusterOfGroup[Int(group[node])]
            clusters[c].members.append(UInt32(node))
            let name = target.className(of: node)
            let type = graph.nodeTypes[node]
            let isObject = type == target.kinds.object || type == target.kinds.closure || type == target.kinds.regexp
            let isValue = target.isString(node) || valueTypes.contains(type)
            let isUser = type == target.kinds.object && !Self.builtInContainers.contains(name) && !name.hasPrefix("system /")
            var entry = clusterClasses[c][name] ?? ClassGrowth(name: name, count: 0, shallowSize: 0, retainedSize: 0, isJavaScriptObject: isObject,
                                                               isJavaScriptValue: isValue, isUserObject: isUser)
            entry.count += 1
            entry.shallowSize += UInt64(target.shallowSizes[node])
            if topmostOfClass[node] { entry.retainedSize += target.retainedSizes[node] }
            if entry.example < 0 || target.retainedSizes[node] > target.retainedSizes[entry.example] { entry.example = node }
            clusterClasses[c][name] = entry
        }
        for c in clusters.indices {
            clusters[c].classes = clusterClasses[c].values
                .sorted { $0.retainedSize != $1.retainedSize ? $0.retainedSize > $1.retainedSize : $0.name < $1.name }
            let main = Self.namingClass(clusters[c].classes)
            clusters[c].mainClass = main?.name ?? ""
            clusters[c].count = main?.count ?? 0
            clusters[c].isV8Internal = Self.isV8Internal(head: clusters[c].representative, classes: clusters[c].classes, target)
            // The path leads to one of the objects that grow (through the head that holds them).
            if let example = main?.example, example >= 0 {
                clusters[c].representative = example
                clusters[c].representativeId = graph.nodeIds[example]
            }
        }
        clusters.sort { ($0.retainedSize, $0.count, $1.signature) > ($1.retainedSize, $1.count, $0.signature) }
        self.totalRetainedSize = total
        self.newObjects = newObjects
        self.clusters = clusters
    }

    /// Classes named after built-in containers: they hold what grows rather than being it.
    static let builtInContainers: Set<String> = ["Array", "Object", "Map", "Set", "WeakMap", "WeakSet", "Function"]

    /// Whether a cluster is V8 bookkeeping: its head is code or an object shape (what such a
    /// group holds, e.g. a literal's boilerplate, is V8's too), or no JavaScript object grows
    /// and the head or what holds it is a V8 internal (hidden objects, internal arrays, code).
    static func isV8Internal(head: Int, classes: [ClassGrowth], _ target: SnapshotAnalysis) -> Bool {
        let type = target.graph.nodeTypes[head], kinds = target.kinds
        if type == kinds.code || type == kinds.synthetic || target.graph.typeName(of: head) == "object shape" { return true }
        guard !classes.contains(where: { $0.isJavaScriptObject }) else { return false }
        if !classes.contains(where: { $0.isJavaScriptValue }) || isV8InternalNode(head, target) { return true }
        guard let (holder, _) = target.shortestRetainer(of: head) else { return false }
        return isV8InternalNode(holder, target)
    }

    /// Code, object shapes, hidden objects, or array storage other than a JavaScript object's
    /// elements and properties.
    static func isV8InternalNode(_ node: Int, _ target: SnapshotAnalysis) -> Bool {
        let type = target.graph.nodeTypes[node], kinds = target.kinds
        if type == kinds.array {
            let name = target.graph.name(of: node)
            return name != "(object elements)" && name != "(object properties)"
        }
        return type == kinds.code || type == kinds.hidden || type == kinds.synthetic || target.graph.typeName(of: node) == "object shape"
    }

    /// The clusters a report lists: without `includeInternal`, those that are not V8-internal.
    public func listed(includeInternal: Bool) -> [Cluster] {
        includeInternal ? clusters : clusters.filter { !$0.isV8Internal }
    }

    /// Σ retained size and number of the V8-internal clusters.
    public var internalGrowth: (retainedSize: Double, clusters: Int) {
        clusters.reduce((0, 0)) { $1.isV8Internal ? ($0.0 + $1.retainedSize, $0.1 + 1) : $0 }
    }

    /// Fills in the retainer paths of the first `limit` listed clusters' representatives.
    public mutating func resolvePaths(in target: SnapshotAnalysis, limit: Int, includeInternal: Bool, scripts: ScriptNames) {
        var resolved = 0
        for c in clusters.indices where resolved < limit && (includeInternal || !clusters[c].isV8Internal) {
            clusters[c].path = target.retainerPath(to: clusters[c].representative, scripts: scripts)
            resolved += 1
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
            // A head may lie on another head's path: its memo entry has its class, its signature not.
            if current != node, let known = memo[current] { prefix = known; break }
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
            // The head's own class is left out: keys and values of one Map are one leak.
            prefix = (prefix.isEmpty ? "" : prefix + " ") + normalizedEdge(edge) + (n == node ? "" : ":" + analysis.className(of: n))
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
