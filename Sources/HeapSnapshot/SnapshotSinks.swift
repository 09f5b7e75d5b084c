/// Fills the per-node columns from the `nodes` array.
struct NodeColumnsSink: UnsignedSink {
    let fieldCount: Int
    let typeField: Int, nameField: Int, idField: Int, selfSizeField: Int, edgeCountField: Int, detachednessField: Int
    let typeCount: UInt64
    var field = 0
    var types: GrowableColumn<UInt8>
    var names: GrowableColumn<UInt32>
    var ids: GrowableColumn<UInt32>
    var selfSizes: GrowableColumn<UInt32>
    /// Per node: DOM link state (0 unknown, 1 attached, 2 detached); stays empty when the file has no such field.
    var detachedness: GrowableColumn<UInt8>
    /// Running prefix sum of edge counts: `firstEdge[n]` for each node plus the total at the end.
    var firstEdge: GrowableColumn<UInt32>
    var edgeTotal: UInt64 = 0
    var failure = ""

    init(meta: SnapshotMeta, reserve: Int) {
        fieldCount = meta.nodeFieldCount
        typeField = meta.nodeTypeField
        nameField = meta.nodeNameField
        idField = meta.nodeIdField
        selfSizeField = meta.nodeSelfSizeField
        edgeCountField = meta.nodeEdgeCountField
        detachednessField = meta.nodeDetachednessField
        typeCount = UInt64(meta.nodeTypeNames.count)
        types = GrowableColumn(reserve: reserve)
        names = GrowableColumn(reserve: reserve)
        ids = GrowableColumn(reserve: reserve)
        selfSizes = GrowableColumn(reserve: reserve)
        detachedness = GrowableColumn(reserve: detachednessField >= 0 ? reserve : 0)
        firstEdge = GrowableColumn(reserve: reserve + 1)
        firstEdge.append(0)
    }

    @inline(__always)
    mutating func accept(_ value: UInt64) -> Bool {
        let f = field
        field = f + 1 == fieldCount ? 0 : f + 1
        if f == typeField {
            guard value < typeCount else { failure = "node type \(value) is not in meta.node_types"; return false }
            types.append(UInt8(truncatingIfNeeded: value))
        } else if f == nameField {
            guard value <= UInt32.max else { failure = "node name index \(value) is out of range"; return false }
            names.append(UInt32(truncatingIfNeeded: value))
        } else if f == idField {
            guard value <= UInt32.max else { failure = "node id \(value) is out of range"; return false }
            ids.append(UInt32(truncatingIfNeeded: value))
        } else if f == selfSizeField {
            // Kept as 32 bits, as DevTools does (it stores nodes in Uint32 arrays).
            selfSizes.append(UInt32(truncatingIfNeeded: value))
        } else if f == edgeCountField {
            // Checked before adding: a hostile count near 2^64 must not overflow the sum.
            guard value < UInt64(UInt32.max) - edgeTotal else { failure = "edge counts add up to more than 2^32"; return false }
            edgeTotal += value
            firstEdge.append(UInt32(truncatingIfNeeded: edgeTotal))
        } else if f == detachednessField {
            detachedness.append(UInt8(truncatingIfNeeded: min(value, 3)))
        }
        return true
    }

    /// Frees the columns after a parse error.
    func release() {
        types.release(); names.release(); ids.release(); selfSizes.release(); detachedness.release(); firstEdge.release()
    }
}

/// Fills the per-edge columns from the `edges` array; `to_node` becomes a node ordinal.
struct EdgeColumnsSink: UnsignedSink {
    let fieldCount: Int
    let typeField: Int, nameField: Int, toField: Int
    let typeCount: UInt64
    let nodeFieldCount: UInt64
    var field = 0
    var types: GrowableColumn<UInt8>
    var names: GrowableColumn<UInt32>
    var targets: GrowableColumn<UInt32>
    var failure = ""

    init(meta: SnapshotMeta, reserve: Int) {
        fieldCount = meta.edgeFieldCount
        typeField = meta.edgeTypeField
        nameField = meta.edgeNameField
        toField = meta.edgeToNodeField
        typeCount = UInt64(meta.edgeTypeNames.count)
        nodeFieldCount = UInt64(meta.nodeFieldCount)
        types = GrowableColumn(reserve: reserve)
        names = GrowableColumn(reserve: reserve)
        targets = GrowableColumn(reserve: reserve)
    }

    @inline(__always)
    mutating func accept(_ value: UInt64) -> Bool {
        let f = field
        field = f + 1 == fieldCount ? 0 : f + 1
        if f == toField {
            let (ordinal, remainder) = value.quotientAndRemainder(dividingBy: nodeFieldCount)
            guard remainder == 0 else { failure = "to_node \(value) is not a multiple of the node field count \(nodeFieldCount)"; return false }
            guard ordinal < UInt64(UInt32.max) else { failure = "to_node \(value) is out of range"; return false }
            targets.append(UInt32(truncatingIfNeeded: ordinal))
        } else if f == typeField {
            guard value < typeCount else { failure = "edge type \(value) is not in meta.edge_types"; return false }
            types.append(UInt8(truncatingIfNeeded: value))
        } else if f == nameField {
            guard value <= UInt32.max else { failure = "edge name or index \(value) is out of range"; return false }
            names.append(UInt32(truncatingIfNeeded: value))
        }
        return true
    }

    /// Frees the columns after a parse error.
    func release() { types.release(); names.release(); targets.release() }
}

/// The parsed node columns as arrays.
struct NodeColumns {
    var types: [UInt8], names: [UInt32], ids: [UInt32], selfSizes: [UInt32], detachedness: [UInt8], firstEdge: [UInt32]
    var edgeTotal: UInt64

    init(_ sink: inout NodeColumnsSink) {
        types = sink.types.finish(); names = sink.names.finish(); ids = sink.ids.finish()
        selfSizes = sink.selfSizes.finish(); detachedness = sink.detachedness.finish(); firstEdge = sink.firstEdge.finish()
        edgeTotal = sink.edgeTotal
    }
}

/// The parsed edge columns as arrays.
struct EdgeColumns {
    var types: [UInt8], names: [UInt32], targets: [UInt32]

    init(_ sink: inout EdgeColumnsSink) {
        types = sink.types.finish(); names = sink.names.finish(); targets = sink.targets.finish()
    }
}

/// Reads the `locations` array into records.
struct LocationSink: UnsignedSink {
    let meta: SnapshotMeta
    var record: [UInt64]
    var field = 0
    var locations = SourceLocations()
    var failure = ""

    init(meta: SnapshotMeta) {
        self.meta = meta
        record = Array(repeating: 0, count: max(1, meta.locationFieldCount))
    }

    mutating func accept(_ value: UInt64) -> Bool {
        guard meta.locationFieldCount > 0 else { return true }
        guard value <= UInt32.max else { failure = "location value \(value) is out of range"; return false }
        record[field] = value
        field += 1
        if field == meta.locationFieldCount {
            field = 0
            let objectIndex = record[meta.locationObjectField]
            guard objectIndex % UInt64(meta.nodeFieldCount) == 0 else {
                failure = "location object_index \(objectIndex) is not a node index"; return false
            }
            locations.append(node: UInt32(objectIndex / UInt64(meta.nodeFieldCount)),
                             scriptId: UInt32(record[meta.locationScriptField]),
                             line: UInt32(record[meta.locationLineField]),
                             column: UInt32(record[meta.locationColumnField]))
        }
        return true
    }
}
