/// Cross-checks the parsed sections (counts, indices) and builds the `HeapGraph`.
enum SnapshotValidator {
    /// 2^62 bytes: far above any real heap, low enough that no size sum can overflow.
    static let maxTotalSelfSize: UInt64 = 1 << 62

    static func assemble(meta: SnapshotMeta, header: JSONValue, nodes: NodeColumns, edges: EdgeColumns,
                         strings: StringTable, locations: SourceLocations,
                         expectedNodes: Int, expectedEdges: Int) throws -> HeapGraph {
        let nodeCount = nodes.types.count
        let edgeCount = edges.targets.count
        guard nodeCount > 0 else { throw HeapSnapshotError.invalid(reason: "the snapshot has no nodes") }
        guard nodeCount == expectedNodes else {
            throw HeapSnapshotError.invalid(reason: "the header says \(expectedNodes) nodes but the nodes array holds \(nodeCount)")
        }
        guard edgeCount == expectedEdges else {
            throw HeapSnapshotError.invalid(reason: "the header says \(expectedEdges) edges but the edges array holds \(edgeCount)")
        }
        guard nodes.edgeTotal == UInt64(edgeCount) else {
            throw HeapSnapshotError.invalid(reason: "the nodes' edge_count fields add up to \(nodes.edgeTotal) but there are \(edgeCount) edges")
        }
        // Bounding the sum keeps every later size total (UInt64, Int64 deltas) free of overflow.
        var totalSelfSize: UInt64 = 0
        for size in nodes.selfSizes {
            let (sum, overflow) = totalSelfSize.addingReportingOverflow(UInt64(size))
            guard !overflow, sum <= maxTotalSelfSize else {
                throw HeapSnapshotError.invalid(reason: "the nodes' self sizes add up to more than \(maxTotalSelfSize) bytes")
            }
            totalSelfSize = sum
        }
        guard strings.count > 0 else { throw HeapSnapshotError.invalid(reason: "the strings array is empty") }
        let stringCount = UInt32(clamping: strings.count)
        if let bad = nodes.names.firstIndex(where: { $0 >= stringCount }) {
            throw HeapSnapshotError.invalid(reason: "node \(bad) has name index \(nodes.names[bad]) but there are only \(stringCount) strings")
        }
        if let bad = edges.targets.firstIndex(where: { Int($0) >= nodeCount }) {
            throw HeapSnapshotError.invalid(reason: "edge \(bad) points to node \(edges.targets[bad]) but there are only \(nodeCount) nodes")
        }
        let elementType = meta.edgeType("element"), hiddenType = meta.edgeType("hidden")
        for e in 0..<edgeCount {
            let t = edges.types[e]
            if t != elementType && t != hiddenType && edges.names[e] >= stringCount {
                throw HeapSnapshotError.invalid(reason: "edge \(e) has name index \(edges.names[e]) but there are only \(stringCount) strings")
            }
        }
        if let last = locations.maxNode, Int(last) >= nodeCount {
            throw HeapSnapshotError.invalid(reason: "a location refers to a node beyond the \(nodeCount) nodes")
        }
        let extraNativeBytes = header["extra_native_bytes"]?.unsignedValue ?? 0
        guard extraNativeBytes <= maxTotalSelfSize else {
            throw HeapSnapshotError.invalid(reason: "extra_native_bytes \(extraNativeBytes) is more than \(maxTotalSelfSize) bytes")
        }
        var rootOrdinal = 0
        if let rootIndex = header["root_index"]?.unsignedValue {
            guard rootIndex % UInt64(meta.nodeFieldCount) == 0, rootIndex / UInt64(meta.nodeFieldCount) < UInt64(nodeCount) else {
                throw HeapSnapshotError.invalid(reason: "root_index \(rootIndex) is not a node")
            }
            rootOrdinal = Int(rootIndex / UInt64(meta.nodeFieldCount))
        }
        return HeapGraph(meta: meta, nodeCount: nodeCount, nodeTypes: nodes.types, nodeNames: nodes.names, nodeIds: nodes.ids,
                         selfSizes: nodes.selfSizes, detachedness: nodes.detachedness, firstEdge: nodes.firstEdge, edgeTypes: edges.types,
                         edgeNames: edges.names, edgeTargets: edges.targets, strings: strings, locations: locations,
                         extraNativeBytes: extraNativeBytes, rootOrdinal: rootOrdinal)
    }
}
