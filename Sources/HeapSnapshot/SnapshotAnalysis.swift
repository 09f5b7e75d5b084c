/// Everything DevTools computes for one snapshot, with the same rules, on flat arrays:
/// adjusted shallow sizes, dominators, retained sizes, distances, class names and keys.
public final class SnapshotAnalysis: @unchecked Sendable {
    public private(set) var graph: HeapGraph
    let kinds: NodeKinds
    /// Per node: shallow size as DevTools shows it (after the ownership adjustment).
    public let shallowSizes: [UInt32]
    /// Per node: the edge of its shortest retainer path (`Distances.noEdge` at the roots).
    let parentEdges: [UInt32]
    /// Per node: immediate dominator ordinal.
    let dominators: [UInt32]
    /// Per node: retained size.
    public let retainedSizes: [Double]
    let dominated: DominatedNodes
    /// Per node: BFS distance (see `Distances`).
    public let distances: [Int32]
    /// Nodes unreachable from the root over strong edges (DevTools warns about them).
    public let unreachableCount: Int
    /// The interfaces inferred from this snapshot's plain objects.
    public let interfaceDefinitions: [InterfaceDefinition]
    /// Per node: class name (string index), with this snapshot's own interfaces applied.
    private(set) var classIndex: [UInt32]
    private(set) var classKeys: ClassKeyTable

    /// How much to compute.
    public enum Depth: Sendable {
        /// Everything (Summary view, retainer paths, growth).
        case full
        /// Only what a Comparison base needs: shallow sizes and class keys. Dominators,
        /// retained sizes and distances stay empty.
        case classes
    }

    /// Parses nothing: analyzes an already read graph. `progress` receives step names.
    public init(_ graph: HeapGraph, depth: Depth = .full, progress: ((String) -> Void)? = nil) {
        var graph = graph
        let kinds = NodeKinds(graph.meta)
        self.kinds = kinds
        DOMState.propagate(&graph, kinds)
        progress?("shallow sizes")
        let shallow = ShallowSizeAdjustment.adjustedSizes(graph, kinds)
        var tree: DominatorTree?
        if depth == .full {
            progress?("dominators")
            let essential = EssentialEdges.compute(graph, kinds, pageOwned: EssentialEdges.pageOwned(graph, kinds))
            tree = DominatorTree(graph: graph, retainers: Retainers(graph, essential: essential), essential: essential, selfSizes: shallow)
            progress?("distances")
            (distances, parentEdges) = Distances.compute(graph, kinds)
        } else {
            (distances, parentEdges) = ([], [])
        }
        progress?("class names")
        var classIndex = ClassNames.compute(&graph, kinds)
        let definitions = InterfaceDefinitions.infer(graph, kinds)
        InterfaceDefinitions.apply(definitions, graph: &graph, kinds: kinds, classIndex: &classIndex)
        classKeys = ClassKeyTable(graph: graph, kinds: kinds, classIndex: classIndex)
        self.classIndex = classIndex
        interfaceDefinitions = definitions
        shallowSizes = shallow
        dominators = tree?.dominators ?? []
        retainedSizes = tree?.retainedSizes ?? []
        unreachableCount = tree?.unreachableCount ?? 0
        dominated = DominatedNodes(dominators: tree?.dominators ?? [], root: graph.rootOrdinal)
        // DevTools hangs unreachable nodes under the root, so its retained size is every shallow size.
        rootRetainedSize = tree?.retainedSizes[graph.rootOrdinal] ?? shallow.reduce(0.0) { $0 + Double($1) }
        self.graph = graph
    }

    private let rootRetainedSize: Double

    /// Total size as DevTools shows it next to the snapshot: root retained size + extra native bytes.
    public var totalSize: Double { rootRetainedSize + Double(graph.extraNativeBytes) }

    /// The class name DevTools shows for a node.
    public func className(of node: Int) -> String { graph.strings[classIndex[node]] }

    /// The Summary/Comparison key of a node.
    public func classKey(of node: Int) -> String { classKeys.text(Int(classKeys.keyOfNode[node]), strings: graph.strings) }

    /// Re-applies interface definitions (DevTools does this to a base snapshot with the
    /// target's definitions before comparing) and recomputes the class keys.
    func applyInterfaceDefinitions(_ definitions: [InterfaceDefinition]) {
        var index = classIndex
        InterfaceDefinitions.apply(definitions, graph: &graph, kinds: kinds, classIndex: &index)
        classIndex = index
        classKeys = ClassKeyTable(graph: graph, kinds: kinds, classIndex: index)
    }
}
