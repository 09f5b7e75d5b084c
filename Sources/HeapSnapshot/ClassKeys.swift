/// DevTools' class key of a node: the class name, prefixed for `object` nodes with a known
/// constructor location by `scriptId,line,column,` so same-named classes from different code
/// stay apart. Keys are the rows of the Summary and Comparison views.
public struct ClassKey: Hashable, Sendable {
    /// The class name (string index).
    public let classIndex: UInt32
    /// The constructor location, when DevTools uses it.
    public let location: SourceLocation?

    public func hash(into hasher: inout Hasher) {
        hasher.combine(classIndex)
        if let l = location { hasher.combine(l.scriptId); hasher.combine(l.line); hasher.combine(l.column) }
    }

    public static func == (a: ClassKey, b: ClassKey) -> Bool {
        a.classIndex == b.classIndex && a.location?.scriptId == b.location?.scriptId
            && a.location?.line == b.location?.line && a.location?.column == b.location?.column
            && (a.location == nil) == (b.location == nil)
    }
}

/// Assigns every node a dense class-key number.
struct ClassKeyTable {
    private(set) var keys: [ClassKey] = []
    /// Per node: index into `keys`.
    private(set) var keyOfNode: [UInt32]

    /// `classIndex` (per node: class name string index) becomes `keyOfNode` in place.
    init(graph: HeapGraph, kinds: NodeKinds, classIndex: consuming [UInt32]) {
        // Locations are sorted by node: one cursor walks them while the nodes are visited in order.
        let locations = graph.locations
        var cursor = 0
        var plainKey = [UInt32](repeating: UInt32.max, count: graph.strings.count)
        var locatedKey: [ClassKey: UInt32] = [:]
        var keys: [ClassKey] = []
        var keyOfNode = consume classIndex
        for node in 0..<graph.nodeCount {
            let c = keyOfNode[node]
            var location: SourceLocation?
            while cursor < locations.count && Int(locations.records[cursor] >> 32) <= node {
                if Int(locations.records[cursor] >> 32) == node { location = locations[cursor] }
                cursor += 1
            }
            if graph.nodeTypes[node] == kinds.object, let location {
                let key = ClassKey(classIndex: c, location: location)
                if let k = locatedKey[key] { keyOfNode[node] = k } else {
                    keys.append(key)
                    locatedKey[key] = UInt32(keys.count - 1)
                    keyOfNode[node] = UInt32(keys.count - 1)
                }
            } else {
                if plainKey[Int(c)] == UInt32.max {
                    keys.append(ClassKey(classIndex: c, location: nil))
                    plainKey[Int(c)] = UInt32(keys.count - 1)
                }
                keyOfNode[node] = plainKey[Int(c)]
            }
        }
        self.keys = keys
        self.keyOfNode = keyOfNode
    }

    /// Moves `keyOfNode` out to `file` (see `SpillFile`) until `restore`.
    mutating func park(in file: SpillFile) -> SpillFile.Parked<UInt32> { file.park(&keyOfNode) }

    mutating func restore(_ parked: SpillFile.Parked<UInt32>, from file: SpillFile) { keyOfNode = file.restore(parked) }

    /// The key as DevTools writes it: `,Name` or `scriptId,line,column,Name`.
    func text(_ key: Int, strings: StringTable) -> String {
        let k = keys[key]
        if let l = k.location { return "\(l.scriptId),\(l.line),\(l.column),\(strings[k.classIndex])" }
        return "," + strings[k.classIndex]
    }
}
