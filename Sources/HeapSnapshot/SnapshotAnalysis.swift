import Foundation

/// Everything DevTools computes for one snapshot, with the same rules, on flat arrays:
/// adjusted shallow sizes, dominators, retained sizes, distances, class names and keys.
public final class SnapshotAnalysis: @unchecked Sendable {
    public internal(set) var graph: HeapGraph
    let kinds: NodeKinds
    /// Per node: shallow size as DevTools shows it (after the ownership adjustment).
    public internal(set) var shallowSizes: [UInt32]
    /// Per node: the edge of its shortest retainer path (`Distances.noEdge` at the roots).
    var parentEdges: [UInt32]
    /// Per node: retained size.
    public internal(set) var retainedSizes: RetainedSizes
    /// The dominator tree's children lists. After the analysis only diff's growth and the
    /// suspects file walk the tree, so the lists wait in the spill file until first asked for.
    var dominated: DominatedNodes {
        dominatedLock.lock()
        defer { dominatedLock.unlock() }
        if let parked = parkedDominated {
            storedDominated.restore(parked, from: spill)
            parkedDominated = nil
        }
        return storedDominated
    }
    private var storedDominated: DominatedNodes
    private var parkedDominated: DominatedNodes.Parked?
    private let dominatedLock = NSLock()
    /// Holds what waits outside memory (see `SpillFile`).
    let spill: SpillFile
    /// What `park()` moved out, until `unpark()`.
    var parkedData: ParkedAnalysis?
    /// What a `.summary` analysis left out, until `unpark()`.
    var parkedForSummary: (records: ParkedRecordColumns, edgeTargets: SpillFile.Parked<UInt32>)?
    /// Per class key (of this snapshot's own interfaces): Σ retained size of the instances not
    /// dominated by another instance of the same key. Empty for `.classes`.
    let classRetainedSizes: [Double]
    /// Per node: BFS distance (see `Distances`).
    public internal(set) var distances: [Int32]
    /// Nodes unreachable from the root over strong edges (DevTools warns about them).
    public let unreachableCount: Int
    /// The interfaces inferred from this snapshot's plain objects.
    public let interfaceDefinitions: [InterfaceDefinition]
    /// Per node: class key (its class name included), with this snapshot's own interfaces applied.
    var classKeys: ClassKeyTable

    /// How much to compute.
    public enum Depth: Sendable {
        /// Everything (Summary view, retainer paths, growth).
        case full
        /// Everything, but what the Summary view and retainer paths do not read (edge targets,
        /// V8 self sizes, DOM states) stays in the spill file until `unpark()`; paths read the
        /// few edge targets they need from there (`edgeTarget(_:)`).
        case summary
        /// Only what a Comparison base needs: shallow sizes and class keys. Dominators,
        /// retained sizes and distances stay empty.
        case classes
    }

    /// Parses nothing: analyzes an already read graph. `progress` receives step names.
    ///
    /// Pass the graph with `consume` when it is not used afterwards: its arrays are then not
    /// shared, so the columns the dominator pass does not read really leave memory while it runs.
    public init(_ snapshot: consuming HeapGraph, depth: Depth = .full, progress: ((String) -> Void)? = nil) {
        var graph = consume snapshot
        let kinds = NodeKinds(graph.meta)
        self.kinds = kinds
        DOMState.propagate(&graph, kinds)
        progress?("shallow sizes")
        var shallow = ShallowSizeAdjustment.adjustedSizes(graph, kinds)
        progress?("class names")
        var classIndex = ClassNames.compute(&graph, kinds)
        let definitions = InterfaceDefinitions.infer(graph, kinds)
        InterfaceDefinitions.apply(definitions, graph: &graph, kinds: kinds, classIndex: &classIndex)
        var keys = ClassKeyTable(graph: graph, kinds: kinds, classIndex: consume classIndex)
        var retained = RetainedSizes(), dominated = DominatedNodes(dominators: [], root: 0), unreachable = 0
        var classRetained: [Double] = [], distances: [Int32] = [], parentEdges: [UInt32] = []
        // Each phase keeps in memory only what it reads; the rest waits in a temporary file.
        let spill = SpillFile()
        if depth != .classes {
            progress?("dominators")
            let essential = EssentialEdges.compute(graph, kinds, pageOwned: EssentialEdges.pageOwned(graph, kinds))
            let parkedColumns = ParkedGraphColumns(&graph, file: spill)
            let parkedKeys = keys.park(in: spill)
            do {
                let tree = DominatorTree(graph: graph, retainers: Retainers(graph, essential: essential), essential: essential, selfSizes: shallow)
                (retained, unreachable) = (tree.retainedSizes, tree.unreachableCount)
                dominated = DominatedNodes(dominators: tree.dominators, root: graph.rootOrdinal)
            }
            keys.restore(parkedKeys, from: spill)
            classRetained = Self.retainedSizesByClass(keys: keys, dominated: dominated, shallowSizes: shallow,
                                                      retainedSizes: retained, root: graph.rootOrdinal)
            parkedDominated = dominated.park(in: spill)
            parkedColumns.restoreAllButRecords(into: &graph, from: spill)
            if depth == .full { parkedColumns.records.restore(into: &graph, from: spill) }
            // Distances read the graph only.
            let parkedSizes = (shallow: spill.park(&shallow), retained: retained.park(in: spill), keys: keys.park(in: spill))
            progress?("distances")
            (distances, parentEdges) = Distances.compute(graph, kinds)
            TransientRoots.preferLastingRoots(graph, kinds, distances: distances, parentEdges: &parentEdges)
            if depth == .summary {
                parkedForSummary = (parkedColumns.records, spill.park(&graph.edgeTargets))
                // Locations are few (closures) and the largest objects' paths read them.
                parkedColumns.records.restoreLocations(into: &graph, from: spill)
            }
            shallow = spill.restore(parkedSizes.shallow)
            retained.restore(parkedSizes.retained, from: spill)
            keys.restore(parkedSizes.keys, from: spill)
        }
        classKeys = keys
        classRetainedSizes = classRetained
        interfaceDefinitions = definitions
        shallowSizes = shallow
        retainedSizes = retained
        self.distances = distances
        self.parentEdges = parentEdges
        unreachableCount = unreachable
        storedDominated = dominated
        self.spill = spill
        // DevTools hangs unreachable nodes under the root, so its retained size is every shallow size.
        rootRetainedSize = retained.isEmpty ? shallow.reduce(0.0) { $0 + Double($1) } : retained[graph.rootOrdinal]
        self.graph = graph
    }

    private let rootRetainedSize: Double

    /// Total size as DevTools shows it next to the snapshot: root retained size + extra native bytes.
    public var totalSize: Double { rootRetainedSize + Double(graph.extraNativeBytes) }

    /// The class name DevTools shows for a node.
    public func className(of node: Int) -> String { graph.strings[classKeys.keys[Int(classKeys.keyOfNode[node])].classIndex] }

    /// The Summary/Comparison key of a node.
    public func classKey(of node: Int) -> String { classKeys.text(Int(classKeys.keyOfNode[node]), strings: graph.strings) }

    /// Re-applies interface definitions (DevTools does this to a base snapshot with the
    /// target's definitions before comparing) and recomputes the class keys.
    func applyInterfaceDefinitions(_ definitions: [InterfaceDefinition]) {
        var index = classKeys.keyOfNode.map { classKeys.keys[Int($0)].classIndex }
        InterfaceDefinitions.apply(definitions, graph: &graph, kinds: kinds, classIndex: &index)
        classKeys = ClassKeyTable(graph: graph, kinds: kinds, classIndex: consume index)
    }
}
