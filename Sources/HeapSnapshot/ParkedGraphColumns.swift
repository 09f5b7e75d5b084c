/// The graph columns the dominator pass does not read (everything but `firstEdge` and
/// `edgeTargets`), moved out to a `SpillFile` while it runs: about half of a graph's memory.
struct ParkedGraphColumns {
    private let nodeTypes: SpillFile.Parked<UInt8>, nodeNames: SpillFile.Parked<UInt32>, nodeIds: SpillFile.Parked<UInt32>
    private let selfSizes: SpillFile.Parked<UInt32>, detachedness: SpillFile.Parked<UInt8>
    private let edgeTypes: SpillFile.Parked<UInt8>, edgeNames: SpillFile.Parked<UInt32>
    private let strings: StringTable.Parked, locations: SpillFile.Parked<UInt64>

    /// Moves the columns of `graph` out to `file`; `graph` keeps only its node count, edges' CSR form and header.
    init(_ graph: inout HeapGraph, file: SpillFile) {
        nodeTypes = file.park(&graph.nodeTypes); nodeNames = file.park(&graph.nodeNames); nodeIds = file.park(&graph.nodeIds)
        selfSizes = file.park(&graph.selfSizes); detachedness = file.park(&graph.detachedness)
        edgeTypes = file.park(&graph.edgeTypes); edgeNames = file.park(&graph.edgeNames)
        strings = graph.strings.park(in: file); locations = graph.locations.park(in: file)
    }

    /// Puts the columns back into `graph`.
    func restore(into graph: inout HeapGraph, from file: SpillFile) {
        graph.nodeTypes = file.restore(nodeTypes); graph.nodeNames = file.restore(nodeNames); graph.nodeIds = file.restore(nodeIds)
        graph.selfSizes = file.restore(selfSizes); graph.detachedness = file.restore(detachedness)
        graph.edgeTypes = file.restore(edgeTypes); graph.edgeNames = file.restore(edgeNames)
        graph.strings.restore(strings, from: file); graph.locations.restore(locations, from: file)
    }
}
