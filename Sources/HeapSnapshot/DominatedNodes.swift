/// Children lists of the dominator tree (CSR form), for walks from the root down.
struct DominatedNodes: Sendable {
    private(set) var first: [UInt32]
    private(set) var children: [UInt32]

    init(dominators: [UInt32], root: Int) {
        let n = dominators.count
        guard n > 0 else { first = [0]; children = []; return }
        // Counting sort without a second cursor array: `first[d]` starts at the end of d's list
        // and steps back as the nodes are placed from the last one down, ending at its start.
        var first = [UInt32](repeating: 0, count: n + 1)
        for node in 0..<n where node != root { first[Int(dominators[node])] += 1 }
        var position: UInt32 = 0
        for node in 0...n {
            position += first[node]
            first[node] = position
        }
        var children = [UInt32](repeating: 0, count: Int(position))
        for node in stride(from: n - 1, through: 0, by: -1) where node != root {
            let d = Int(dominators[node])
            first[d] -= 1
            children[Int(first[d])] = UInt32(node)
        }
        self.first = first
        self.children = children
    }

    func of(_ node: Int) -> ArraySlice<UInt32> { children[Int(first[node])..<Int(first[node + 1])] }

    /// The lists moved out to `file` (see `SpillFile`); unusable until restored.
    struct Parked {
        let first: SpillFile.Parked<UInt32>
        let children: SpillFile.Parked<UInt32>
    }

    mutating func park(in file: SpillFile) -> Parked { Parked(first: file.park(&first), children: file.park(&children)) }

    mutating func restore(_ parked: Parked, from file: SpillFile) {
        first = file.restore(parked.first)
        children = file.restore(parked.children)
    }
}
