/// The node and edge type codes of one file, resolved by name once (`UInt8.max` = absent).
struct NodeKinds: Sendable {
    let hidden, array, string, object, code, closure, regexp, native, synthetic, consString, slicedString: UInt8
    let element, hiddenEdge, internalEdge, shortcut, weak, property, context: UInt8

    init(_ meta: SnapshotMeta) {
        hidden = meta.nodeType("hidden"); array = meta.nodeType("array"); string = meta.nodeType("string")
        object = meta.nodeType("object"); code = meta.nodeType("code"); closure = meta.nodeType("closure")
        regexp = meta.nodeType("regexp"); native = meta.nodeType("native")
        synthetic = meta.nodeType("synthetic"); consString = meta.nodeType("concatenated string")
        slicedString = meta.nodeType("sliced string")
        element = meta.edgeType("element"); hiddenEdge = meta.edgeType("hidden"); internalEdge = meta.edgeType("internal")
        shortcut = meta.edgeType("shortcut"); weak = meta.edgeType("weak"); property = meta.edgeType("property")
        context = meta.edgeType("context")
    }

    /// Whether edges of this type name a string (all but `element` and `hidden`).
    @inline(__always)
    func hasStringName(_ edgeType: UInt8) -> Bool { edgeType != element && edgeType != hiddenEdge }
}

extension HeapGraph {
    /// DevTools' "user root": a child of the root that is not synthetic (a global object),
    /// or the `(Document DOM trees)` node.
    func isUserRoot(_ node: Int, _ kinds: NodeKinds) -> Bool {
        nodeTypes[node] != kinds.synthetic || strings.equals(nodeNames[node], "(Document DOM trees)")
    }

    /// Whether any child of the root is a user root (DevTools then adjusts shallow sizes
    /// and measures distances from the user roots).
    func hasUserRoots(_ kinds: NodeKinds) -> Bool {
        edges(of: rootOrdinal).contains { isUserRoot(Int(edgeTargets[$0]), kinds) }
    }
}
