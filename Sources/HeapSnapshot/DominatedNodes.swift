/// Children lists of the dominator tree, for walks from the root down.
struct DominatedNodes: Sendable {
    private var groups: OrdinalGroups

    init(dominators: [UInt32], root: Int) {
        let n = dominators.count
        groups = OrdinalGroups(groupCount: n) { place in
            for node in stride(from: n - 1, through: 0, by: -1) where node != root { place(Int(dominators[node]), UInt32(node)) }
        }
    }

    /// The nodes `node` immediately dominates, in ordinal order.
    func of(_ node: Int) -> ArraySlice<UInt32> { groups.of(node) }

    typealias Parked = OrdinalGroups.Parked

    mutating func park(in file: SpillFile) -> Parked { groups.park(in: file) }

    mutating func restore(_ parked: Parked, from file: SpillFile) { groups.restore(parked, from: file) }
}
