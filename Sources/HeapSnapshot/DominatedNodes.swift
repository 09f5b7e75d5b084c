/// Children lists of the dominator tree (CSR form), for walks from the root down.
struct DominatedNodes: Sendable {
    let first: [UInt32]
    let children: [UInt32]

    init(dominators: [UInt32], root: Int) {
        let n = dominators.count
        guard n > 0 else { first = [0]; children = []; return }
        var first = [UInt32](repeating: 0, count: n + 1)
        for node in 0..<n where node != root { first[Int(dominators[node])] += 1 }
        var position: UInt32 = 0
        for node in 0..<n {
            let c = first[node]
            first[node] = position
            position += c
        }
        first[n] = position
        var fill = first
        var children = [UInt32](repeating: 0, count: Int(position))
        for node in 0..<n where node != root {
            let d = Int(dominators[node])
            children[Int(fill[d])] = UInt32(node)
            fill[d] += 1
        }
        self.first = first
        self.children = children
    }

    func of(_ node: Int) -> ArraySlice<UInt32> { children[Int(first[node])..<Int(first[node + 1])] }
}
