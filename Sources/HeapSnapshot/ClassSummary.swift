/// One row of the Summary view: a class key with its object count, shallow size, retained
/// size (not counting instances dominated by another instance of the same key) and the
/// smallest distance of an instance.
public struct ClassSummaryRow: Sendable, Equatable {
    public var key: String
    public var name: String
    public var count: Int
    public var shallowSize: UInt64
    public var retainedSize: Double
    public var distance: Int32
}

extension SnapshotAnalysis {
    /// The Summary view: every class key with at least one object of non-zero shallow size.
    public func classSummary() -> [ClassSummaryRow] {
        let keyCount = classKeys.keys.count
        var count = [Int](repeating: 0, count: keyCount)
        var shallow = [UInt64](repeating: 0, count: keyCount)
        var distance = [Int32](repeating: Int32.max, count: keyCount)
        for node in 0..<graph.nodeCount {
            let size = shallowSizes[node]
            if size == 0 { continue }
            let k = Int(classKeys.keyOfNode[node])
            count[k] += 1
            shallow[k] += UInt64(size)
            distance[k] = min(distance[k], distances[node])
        }
        let retained = classRetainedSizes
        var rows: [ClassSummaryRow] = []
        for k in 0..<keyCount where count[k] > 0 {
            rows.append(ClassSummaryRow(key: classKeys.text(k, strings: graph.strings),
                                        name: graph.strings[classKeys.keys[k].classIndex],
                                        count: count[k], shallowSize: shallow[k], retainedSize: retained.isEmpty ? 0 : retained[k], distance: distance[k]))
        }
        return rows
    }

    /// Per key: Σ retained size of instances not dominated by another instance of the same key.
    static func retainedSizesByClass(keys: ClassKeyTable, dominated: DominatedNodes, shallowSizes: [UInt32],
                                     retainedSizes: RetainedSizes, root: Int) -> [Double] {
        let keyCount = keys.keys.count
        var retained = [Double](repeating: 0, count: keyCount)
        var open = [Bool](repeating: false, count: keyCount)
        var stack: [UInt32] = [UInt32(root)]
        // (stack height at which the key closes again, key)
        var closers: [(height: Int, key: UInt32)] = []
        while let node = stack.popLast() {
            let n = Int(node)
            let k = keys.keyOfNode[n]
            let children = dominated.of(n)
            if !open[Int(k)] && shallowSizes[n] > 0 {
                retained[Int(k)] += retainedSizes[n]
                if !children.isEmpty {
                    open[Int(k)] = true
                    closers.append((stack.count, k))
                }
            }
            stack.append(contentsOf: children)
            while let last = closers.last, last.height == stack.count {
                closers.removeLast()
                open[Int(last.key)] = false
            }
        }
        return retained
    }
}
