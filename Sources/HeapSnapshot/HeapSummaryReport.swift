/// What `diag summary` reports for a heap snapshot; also its `--json` form.
public struct HeapSummaryReport: Codable, Sendable {
    /// One class key of the Summary view.
    public struct ClassRow: Codable, Sendable, Equatable {
        public var key: String
        public var className: String
        public var count: Int
        public var shallowSize: UInt64
        public var retainedSize: Double
        public var distance: Int32
    }

    /// One of the objects with the largest retained sizes, and how it is held.
    public struct LargeObject: Codable, Sendable {
        public var id: UInt32
        public var className: String
        public var name: String
        public var type: String
        public var shallowSize: UInt64
        public var retainedSize: Double
        public var distance: Int32
        /// Shortest retainer path from a root (global object or GC root), root side first.
        public var retainerPath: [RetainerStep]
        public var retainerPathText: String
        /// Where the closures on the path are defined, root side first.
        public var closureLocations: [HeapDiffReport.ClosureLocation]
    }

    public var file: String
    public var fileSize: UInt64
    public var nodeCount: Int
    public var edgeCount: Int
    /// Total size as DevTools shows it (root retained size plus extra native bytes).
    public var totalSize: Double
    /// Objects with non-zero shallow size (the Summary view's rows add up to these).
    public var objectCount: Int
    public var shallowSize: UInt64
    public var classCount: Int
    /// Nodes unreachable from the root over strong edges (DevTools attaches them to the root).
    public var unreachableNodes: Int
    public var topByRetainedSize: [ClassRow]
    public var topByCount: [ClassRow]
    public var topByShallowSize: [ClassRow]
    public var largestObjects: [LargeObject]

    /// Builds the report from an analysis, with `top` rows per table. `includeInternal`
    /// (`--all`) lets V8 internals and objects held only by GC roots into the largest objects;
    /// retainer paths name closures after the `.scripts.json` file beside `file`, if any.
    public init(file: String, fileSize: UInt64, analysis: SnapshotAnalysis, top: Int, includeInternal: Bool = false) {
        let rows = analysis.classSummary().map {
            ClassRow(key: $0.key, className: $0.name, count: $0.count, shallowSize: $0.shallowSize,
                     retainedSize: $0.retainedSize, distance: $0.distance)
        }
        self.file = file
        self.fileSize = fileSize
        nodeCount = analysis.graph.nodeCount
        edgeCount = analysis.graph.edgeCount
        totalSize = analysis.totalSize
        objectCount = rows.reduce(0) { $0 + $1.count }
        shallowSize = rows.reduce(0) { $0 + $1.shallowSize }
        classCount = rows.count
        unreachableNodes = analysis.unreachableCount
        topByRetainedSize = Array(rows.sorted { ($0.retainedSize, $0.shallowSize, $1.key) > ($1.retainedSize, $1.shallowSize, $0.key) }.prefix(top))
        topByCount = Array(rows.sorted { ($0.count, $0.shallowSize, $1.key) > ($1.count, $1.shallowSize, $0.key) }.prefix(top))
        topByShallowSize = Array(rows.sorted { ($0.shallowSize, $0.count, $1.key) > ($1.shallowSize, $1.count, $0.key) }.prefix(top))
        let scripts = ScriptNames(besideSnapshot: file)
        largestObjects = analysis.largestObjects(limit: top, includeInternal: includeInternal).map { node in
            let path = analysis.retainerPath(to: node, scripts: scripts)
            return LargeObject(id: analysis.graph.id(of: node), className: analysis.className(of: node),
                               name: analysis.displayName(of: node), type: analysis.graph.typeName(of: node),
                               shallowSize: UInt64(analysis.shallowSizes[node]), retainedSize: analysis.retainedSizes[node],
                               distance: analysis.distances[node], retainerPath: path,
                               retainerPathText: RetainerPathText.render(path), closureLocations: HeapDiffReport.ClosureLocation.on(path))
        }
    }
}

extension SnapshotAnalysis {
    /// The `limit` objects with the largest retained size, skipping the synthetic roots and
    /// V8 internals (`hidden`, `code`, object shapes) that a person cannot act on, unless
    /// `includeInternal` (then only the synthetic roots are skipped).
    public func largestObjects(limit: Int, includeInternal: Bool = false) -> [Int] {
        guard limit > 0 else { return [] }
        var best: [(size: Double, node: Int)] = []
        let skipped: Set<UInt8> = includeInternal ? [kinds.synthetic] : [kinds.synthetic, kinds.hidden, kinds.code, graph.meta.nodeType("object shape")]
        for node in 0..<graph.nodeCount where !skipped.contains(graph.nodeTypes[node]) && (includeInternal || distances[node] < Distances.systemBase) {
            let size = retainedSizes[node]
            if best.count == limit, size <= best[limit - 1].size { continue }
            let at = best.firstIndex { size > $0.size } ?? best.count
            best.insert((size, node), at: at)
            if best.count > limit { best.removeLast() }
        }
        return best.map(\.node)
    }
}
