/// The per-node data of a `SnapshotAnalysis` moved out to its spill file while the analysis
/// waits: diff parks the target while the base's Comparison table is built.
struct ParkedAnalysis {
    let columns: ParkedGraphColumns
    let firstEdge: SpillFile.Parked<UInt32>, edgeTargets: SpillFile.Parked<UInt32>
    let shallowSizes: SpillFile.Parked<UInt32>, retainedSizes: SpillFile.Parked<UInt32>
    let distances: SpillFile.Parked<Int32>, parentEdges: SpillFile.Parked<UInt32>, classKeys: SpillFile.Parked<UInt32>
}

extension SnapshotAnalysis {
    /// Moves the graph and the per-node results out of memory until `unpark()`; nothing may
    /// read the analysis in between. Does nothing when already parked or for `.summary`.
    func park() {
        guard parkedData == nil, parkedForSummary == nil else { return }
        parkedData = ParkedAnalysis(columns: ParkedGraphColumns(&graph, file: spill),
                                    firstEdge: spill.park(&graph.firstEdge), edgeTargets: spill.park(&graph.edgeTargets),
                                    shallowSizes: spill.park(&shallowSizes), retainedSizes: retainedSizes.park(in: spill),
                                    distances: spill.park(&distances), parentEdges: spill.park(&parentEdges),
                                    classKeys: classKeys.park(in: spill))
    }

    /// Brings back what `park()` moved out, and what a `.summary` analysis left out.
    func unpark() {
        if let parked = parkedForSummary {
            parked.records.restore(into: &graph, from: spill)
            graph.edgeTargets = spill.restore(parked.edgeTargets)
            parkedForSummary = nil
        }
        guard let parked = parkedData else { return }
        parked.columns.restore(into: &graph, from: spill)
        graph.firstEdge = spill.restore(parked.firstEdge)
        graph.edgeTargets = spill.restore(parked.edgeTargets)
        shallowSizes = spill.restore(parked.shallowSizes)
        retainedSizes.restore(parked.retainedSizes, from: spill)
        distances = spill.restore(parked.distances)
        parentEdges = spill.restore(parked.parentEdges)
        classKeys.restore(parked.classKeys, from: spill)
        parkedData = nil
    }

    /// The node `edge` leads to, also while a `.summary` analysis keeps the edge targets in
    /// its spill file (then read one by one: only retainer paths ask, for a few edges).
    func edgeTarget(_ edge: Int) -> Int {
        if let parked = parkedForSummary { return Int(spill.element(parked.edgeTargets, at: edge)) }
        return graph.target(of: edge)
    }
}
