/// One row of DevTools' Comparison view: objects of a class key that are new in the target
/// (id not in the base) or deleted (id only in the base), with their shallow sizes.
public struct ComparisonRow: Sendable, Equatable {
    public var key: String
    public var name: String
    public var newCount: Int
    public var deletedCount: Int
    public var allocatedSize: UInt64
    public var freedSize: UInt64
    public var countDelta: Int { newCount - deletedCount }
    public var sizeDelta: Int64 { Int64(allocatedSize) - Int64(freedSize) }
}

/// Per class key: the ids and shallow sizes of its objects (non-zero size), sorted by id.
/// This is all of a snapshot the Comparison view needs, so a big base can be freed after it.
public struct ComparisonTable: Sendable {
    struct Entry: Sendable {
        var name: String
        var ids: [UInt32]
        /// Shallow sizes (32-bit, as DevTools keeps them); sums are taken in 64 bits.
        var sizes: [UInt32]
    }
    var entries: [String: Entry]
}

extension SnapshotAnalysis {
    /// The Comparison table of this snapshot, with `definitions` applied to plain objects
    /// (DevTools applies the target snapshot's interfaces to the base).
    public func comparisonTable(interfaceDefinitions definitions: [InterfaceDefinition]? = nil) -> ComparisonTable {
        if let definitions { applyInterfaceDefinitions(definitions) }
        defer { if definitions != nil { applyInterfaceDefinitions(interfaceDefinitions) } }
        // The objects of every key, in one array of node ordinals.
        let keyCount = classKeys.keys.count
        let keyOfNode = classKeys.keyOfNode, shallow = shallowSizes
        var groups = OrdinalGroups(groupCount: keyCount) { place in
            for node in stride(from: graph.nodeCount - 1, through: 0, by: -1) where shallow[node] > 0 {
                place(Int(keyOfNode[node]), UInt32(node))
            }
        }
        var entries: [String: ComparisonTable.Entry] = [:]
        let ids = graph.nodeIds
        for k in 0..<keyCount where !groups.of(k).isEmpty {
            groups.sort(k) { ids[Int($0)] != ids[Int($1)] ? ids[Int($0)] < ids[Int($1)] : $0 < $1 }
            let sorted = groups.of(k)
            entries[classKeys.text(k, strings: graph.strings)] = .init(name: graph.strings[classKeys.keys[k].classIndex],
                                                                        ids: sorted.map { ids[Int($0)] },
                                                                        sizes: sorted.map { shallowSizes[Int($0)] })
        }
        return ComparisonTable(entries: entries)
    }
}

extension ComparisonTable {
    /// The Comparison view of `target` against `base`: rows with at least one new or deleted object.
    public static func compare(base: ComparisonTable, target: ComparisonTable) -> [ComparisonRow] {
        var rows: [ComparisonRow] = []
        let empty = Entry(name: "", ids: [], sizes: [])
        for key in Set(base.entries.keys).union(target.entries.keys) {
            let b = base.entries[key] ?? empty, t = target.entries[key] ?? empty
            var row = ComparisonRow(key: key, name: target.entries[key]?.name ?? b.name,
                                    newCount: 0, deletedCount: 0, allocatedSize: 0, freedSize: 0)
            var i = 0, j = 0
            while i < b.ids.count && j < t.ids.count {
                if b.ids[i] < t.ids[j] {
                    row.deletedCount += 1; row.freedSize += UInt64(b.sizes[i]); i += 1
                } else if b.ids[i] > t.ids[j] {
                    row.newCount += 1; row.allocatedSize += UInt64(t.sizes[j]); j += 1
                } else {
                    i += 1; j += 1
                }
            }
            while i < b.ids.count { row.deletedCount += 1; row.freedSize += UInt64(b.sizes[i]); i += 1 }
            while j < t.ids.count { row.newCount += 1; row.allocatedSize += UInt64(t.sizes[j]); j += 1 }
            if row.newCount > 0 || row.deletedCount > 0 { rows.append(row) }
        }
        return rows.sorted { a, b in
            a.sizeDelta != b.sizeDelta ? a.sizeDelta > b.sizeDelta : (a.countDelta != b.countDelta ? a.countDelta > b.countDelta : a.key < b.key)
        }
    }
}
