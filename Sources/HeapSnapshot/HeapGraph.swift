/// A parsed `.heapsnapshot` as flat arrays: one entry per node (by ordinal) and per edge,
/// edges grouped by source node (CSR form: `firstEdge[n]..<firstEdge[n+1]`).
public struct HeapGraph: Sendable {
    public let meta: SnapshotMeta
    public internal(set) var nodeCount: Int
    /// Per node: index into `meta.nodeTypeNames`.
    var nodeTypes: [UInt8]
    /// Per node: index into `strings`.
    var nodeNames: [UInt32]
    /// Per node: V8's object id.
    var nodeIds: [UInt32]
    /// Per node: V8's self size in bytes (modulo 2^32, as DevTools reads it).
    var selfSizes: [UInt32]
    /// Per node: DOM link state (0 unknown, 1 attached, 2 detached); empty when absent from the file.
    var detachedness: [UInt8]
    /// Per node + 1: first edge ordinal.
    var firstEdge: [UInt32]
    /// Per edge: index into `meta.edgeTypeNames`.
    var edgeTypes: [UInt8]
    /// Per edge: string index (named edges) or numeric index (`element`, `hidden`).
    var edgeNames: [UInt32]
    /// Per edge: target node ordinal.
    var edgeTargets: [UInt32]
    public internal(set) var strings: StringTable
    /// `locations` records (node ordinal, script id, line, column; 0-based positions), by node.
    var locations: SourceLocations
    /// `snapshot.extra_native_bytes`, 0 when absent.
    public let extraNativeBytes: UInt64
    /// The root node's ordinal (`snapshot.root_index` / field count, default 0).
    public let rootOrdinal: Int

    public var edgeCount: Int { Int(firstEdge[nodeCount]) }

    public func id(of node: Int) -> UInt32 { nodeIds[node] }
    public func name(of node: Int) -> String { strings[nodeNames[node]] }
    public func typeName(of node: Int) -> String { meta.nodeTypeNames[Int(nodeTypes[node])] }
    public func edges(of node: Int) -> Range<Int> { Int(firstEdge[node])..<Int(firstEdge[node + 1]) }
    public func edgeTypeName(_ edge: Int) -> String { meta.edgeTypeNames[Int(edgeTypes[edge])] }
    public func target(of edge: Int) -> Int { Int(edgeTargets[edge]) }

    /// The node an edge comes from: the last node whose first edge is at or before it.
    public func source(of edge: Int) -> Int {
        var lo = 0, hi = nodeCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if Int(firstEdge[mid]) <= edge { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
