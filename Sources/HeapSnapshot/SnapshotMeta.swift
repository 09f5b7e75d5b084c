/// What the `snapshot.meta` header says about the layout of nodes and edges. Every field
/// and type is looked up by name, so older (6 node fields) and newer V8 files both work.
public struct SnapshotMeta: Sendable, Equatable {
    /// Names of the node types, indexed by the node's `type` field.
    public let nodeTypeNames: [String]
    /// Names of the edge types, indexed by the edge's `type` field.
    public let edgeTypeNames: [String]
    /// Number of numbers per node and per edge.
    let nodeFieldCount: Int
    let edgeFieldCount: Int
    /// Position of each node field inside a node record (-1 when absent).
    let nodeTypeField: Int, nodeNameField: Int, nodeIdField: Int, nodeSelfSizeField: Int, nodeEdgeCountField: Int
    /// Position of the optional `detachedness` node field (-1 when absent, as in older V8).
    let nodeDetachednessField: Int
    /// Position of each edge field inside an edge record.
    let edgeTypeField: Int, edgeNameField: Int, edgeToNodeField: Int
    /// Positions inside a `locations` record, and its length (0 when the file has no locations).
    let locationObjectField: Int, locationScriptField: Int, locationLineField: Int, locationColumnField: Int
    let locationFieldCount: Int
    /// The original `meta` object, kept so derived snapshots can repeat it.
    let header: JSONValue

    init(meta: JSONValue, offset: UInt64) throws {
        func fail(_ what: String) -> HeapSnapshotError { .malformed(offset: offset, reason: "snapshot.meta: \(what)") }
        guard let nodeFields = meta["node_fields"]?.stringArray else { throw fail("node_fields is missing or not a list of names") }
        guard let edgeFields = meta["edge_fields"]?.stringArray else { throw fail("edge_fields is missing or not a list of names") }
        func position(_ name: String, in fields: [String], required: Bool) throws -> Int {
            if let i = fields.firstIndex(of: name) { return i }
            if required { throw fail("field \"\(name)\" is missing") }
            return -1
        }
        nodeTypeField = try position("type", in: nodeFields, required: true)
        nodeNameField = try position("name", in: nodeFields, required: true)
        nodeIdField = try position("id", in: nodeFields, required: true)
        nodeSelfSizeField = try position("self_size", in: nodeFields, required: true)
        nodeEdgeCountField = try position("edge_count", in: nodeFields, required: true)
        nodeDetachednessField = try position("detachedness", in: nodeFields, required: false)
        edgeTypeField = try position("type", in: edgeFields, required: true)
        edgeNameField = try position("name_or_index", in: edgeFields, required: true)
        edgeToNodeField = try position("to_node", in: edgeFields, required: true)
        nodeFieldCount = nodeFields.count
        edgeFieldCount = edgeFields.count
        guard let nodeTypes = meta["node_types"]?.arrayValue, nodeTypes.count > nodeTypeField,
              let nodeTypeNames = nodeTypes[nodeTypeField].stringArray else { throw fail("node_types has no list of type names") }
        guard let edgeTypes = meta["edge_types"]?.arrayValue, edgeTypes.count > edgeTypeField,
              let edgeTypeNames = edgeTypes[edgeTypeField].stringArray else { throw fail("edge_types has no list of type names") }
        guard nodeTypeNames.count < 255, edgeTypeNames.count < 255 else { throw fail("too many node or edge types") }
        self.nodeTypeNames = nodeTypeNames
        self.edgeTypeNames = edgeTypeNames
        let locationFields = meta["location_fields"]?.stringArray ?? []
        locationObjectField = locationFields.firstIndex(of: "object_index") ?? -1
        locationScriptField = locationFields.firstIndex(of: "script_id") ?? -1
        locationLineField = locationFields.firstIndex(of: "line") ?? -1
        locationColumnField = locationFields.firstIndex(of: "column") ?? -1
        let complete = locationObjectField >= 0 && locationScriptField >= 0 && locationLineField >= 0 && locationColumnField >= 0
        locationFieldCount = complete ? locationFields.count : 0
        header = meta
    }

    /// The index of a node type by name, or `UInt8.max` when the file does not have it.
    func nodeType(_ name: String) -> UInt8 { nodeTypeNames.firstIndex(of: name).map(UInt8.init) ?? .max }
    /// The index of an edge type by name, or `UInt8.max` when the file does not have it.
    func edgeType(_ name: String) -> UInt8 { edgeTypeNames.firstIndex(of: name).map(UInt8.init) ?? .max }
}
