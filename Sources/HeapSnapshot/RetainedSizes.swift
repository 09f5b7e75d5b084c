/// Per node retained sizes in 4 bytes each (half of a `Double` column): the few sizes of
/// 4 GiB or more, only possible for the top dominators of huge heaps, are kept aside exactly.
public struct RetainedSizes: RandomAccessCollection, Sendable {
    private var small: [UInt32]
    private var large: [Int: Double] = [:]
    /// Marks a size kept in `large`.
    private static let elsewhere = UInt32.max

    /// Empty (analyses that compute no dominators).
    init() { small = [] }

    /// Takes over `sizes` (integral byte counts, as the dominator tree sums them).
    init(_ sizes: consuming [Double]) {
        small = [UInt32](repeating: 0, count: sizes.count)
        for (node, size) in sizes.enumerated() {
            if size < Double(Self.elsewhere) { small[node] = UInt32(size) } else { small[node] = Self.elsewhere; large[node] = size }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { small.count }

    public subscript(node: Int) -> Double {
        let size = small[node]
        return size == Self.elsewhere ? large[node]! : Double(size)
    }

    /// Moves the column out to `file` (see `SpillFile`) until `restore`.
    mutating func park(in file: SpillFile) -> SpillFile.Parked<UInt32> { file.park(&small) }

    mutating func restore(_ parked: SpillFile.Parked<UInt32>, from file: SpillFile) { small = file.restore(parked) }
}
