/// The graph columns the dominator pass does not read (everything but `firstEdge` and
/// `edgeTargets`), moved out to a `SpillFile` while it runs: about half of a graph's memory.
/// They come back in two groups: what the later phases and reports read, and the records
/// (V8 self sizes, DOM states, locations) that only a written snapshot needs.
struct ParkedGraphColumns {
    private let nodeTypes: SpillFile.Parked<UInt8>, nodeNames: SpillFile.Parked<UInt32>, nodeIds: SpillFile.Parked<UInt32>
    private let edgeTypes: SpillFile.Parked<UInt8>, edgeNames: SpillFile.Parked<UInt32>, strings: StringTable.Parked
    let records: ParkedRecordColumns

    /// Moves the columns of `graph` out to `file`; `graph` keeps only its node count, edges' CSR form and header.
    init(_ graph: inout HeapGraph, file: SpillFile) {
        nodeTypes = file.park(&graph.nodeTypes); nodeNames = file.park(&graph.nodeNames); nodeIds = file.park(&graph.nodeIds)
        edgeTypes = file.park(&graph.edgeTypes); edgeNames = file.park(&graph.edgeNames)
        strings = graph.strings.park(in: file)
        records = ParkedRecordColumns(&graph, file: file)
    }

    /// Puts all columns back into `graph`.
    func restore(into graph: inout HeapGraph, from file: SpillFile) {
        restoreAllButRecords(into: &graph, from: file)
        records.restore(into: &graph, from: file)
    }

    /// Puts back the columns other than the records (which stay in `records`).
    func restoreAllButRecords(into graph: inout HeapGraph, from file: SpillFile) {
        graph.nodeTypes = file.restore(nodeTypes); graph.nodeNames = file.restore(nodeNames); graph.nodeIds = file.restore(nodeIds)
        graph.edgeTypes = file.restore(edgeTypes); graph.edgeNames = file.restore(edgeNames)
        graph.strings.restore(strings, from: file)
    }
}

/// The per-node records read only before the analysis proper and when a snapshot is written:
/// V8 self sizes, DOM states and locations.
struct ParkedRecordColumns {
    private let selfSizes: SpillFile.Parked<UInt32>, detachedness: SpillFile.Parked<UInt8>, locations: SpillFile.Parked<UInt64>

    init(_ graph: inout HeapGraph, file: SpillFile) {
        selfSizes = file.park(&graph.selfSizes); detachedness = file.park(&graph.detachedness)
        locations = graph.locations.park(in: file)
    }

    func restore(into graph: inout HeapGraph, from file: SpillFile) {
        graph.selfSizes = file.restore(selfSizes); graph.detachedness = file.restore(detachedness)
        restoreLocations(into: &graph, from: file)
    }

    /// Puts back only the locations (retainer paths show where closures are defined).
    func restoreLocations(into graph: inout HeapGraph, from file: SpillFile) {
        graph.locations.restore(locations, from: file)
    }
}
