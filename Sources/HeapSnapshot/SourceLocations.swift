/// Where the function or constructor of an object was defined (V8 0-based line and column).
public struct SourceLocation: Sendable, Hashable {
    public var node: UInt32
    public var scriptId: UInt32
    public var line: UInt32
    public var column: UInt32
}

/// The `locations` section, compactly: most objects share their constructor's position, so
/// each record is a node ordinal plus an index into the distinct positions (8 bytes, not 16).
public struct SourceLocations: Sendable {
    /// `node << 32 | position index`, sorted by node.
    private(set) var records: [UInt64] = []
    /// Distinct (script id, line, column) triples.
    private(set) var positions: [(scriptId: UInt32, line: UInt32, column: UInt32)] = []
    private var positionIndex: [UInt64: UInt32] = [:]
    private var sorted = true

    public init() {}

    mutating func append(node: UInt32, scriptId: UInt32, line: UInt32, column: UInt32) {
        // Line and column fit in 32 bits each; the script id goes into the dictionary key's hash.
        let key = UInt64(line) << 32 | UInt64(column)
        var index: UInt32
        if let hit = positionIndex[key ^ (UInt64(scriptId) &* 0x9E37_79B9_7F4A_7C15)], positions[Int(hit)].scriptId == scriptId {
            index = hit
        } else {
            index = UInt32(positions.count)
            positions.append((scriptId, line, column))
            positionIndex[key ^ (UInt64(scriptId) &* 0x9E37_79B9_7F4A_7C15)] = index
        }
        let record = UInt64(node) << 32 | UInt64(index)
        if let last = records.last, last > record { sorted = false }
        records.append(record)
    }

    /// Sorts the records by node (after reading).
    mutating func finish() {
        if !sorted { records.sort() }
        sorted = true
        positionIndex = [:]
    }

    public var count: Int { records.count }

    /// Moves the records out to `file` (see `SpillFile`) until `restore`.
    mutating func park(in file: SpillFile) -> SpillFile.Parked<UInt64> { file.park(&records) }

    mutating func restore(_ parked: SpillFile.Parked<UInt64>, from file: SpillFile) { records = file.restore(parked) }

    /// The largest node ordinal referenced, if any.
    var maxNode: UInt32? { records.last.map { UInt32(truncatingIfNeeded: $0 >> 32) } }

    /// Record `i` (in node order).
    public subscript(i: Int) -> SourceLocation {
        let r = records[i]
        let p = positions[Int(UInt32(truncatingIfNeeded: r))]
        return SourceLocation(node: UInt32(truncatingIfNeeded: r >> 32), scriptId: p.scriptId, line: p.line, column: p.column)
    }

    /// All records as values (small files and tests).
    public var all: [SourceLocation] { (0..<count).map { self[$0] } }
}
