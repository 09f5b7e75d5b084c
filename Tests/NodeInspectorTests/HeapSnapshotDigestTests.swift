import Testing
@testable import NodeInspector

@Suite struct HeapSnapshotDigestTests {
    /// A tiny snapshot: a synthetic root, two Widget objects, a closure, a string and a hidden node.
    static let snapshot = #"""
    {"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape","wasm object"],"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},"node_count":6,"edge_count":2,"trace_function_count":0},
    "nodes":[9,1,1,0,2,0,0
    ,3,2,3,40,0,0,0
    ,3,2,5,40,0,0,0
    ,5,3,7,32,0,0,0
    ,2,4,9,24,0,0,0
    ,0,5,11,8,0,0,0],
    "edges":[1,1,7,1,2,14],
    "trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[[3,1,2,3]],
    "strings":["<dummy>","","Widget","make \"it\" \u00e9","text","(GC roots)"]}
    """#

    @Test func countsWholeSnapshot() {
        let digest = HeapSnapshotDigest()
        Array(Self.snapshot.utf8).withUnsafeBytes { digest.consume($0) }
        check(digest)
    }

    @Test func countsSnapshotFedInTinyPieces() {
        let bytes = Array(Self.snapshot.utf8)
        for pieceSize in [1, 2, 3, 7, 64] {
            let digest = HeapSnapshotDigest()
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + pieceSize)
                bytes[offset..<end].withUnsafeBytes { digest.consume($0) }
                offset = end
            }
            check(digest)
        }
    }

    @Test func truncatedSnapshotIsIncomplete() {
        let digest = HeapSnapshotDigest()
        Array(Self.snapshot.utf8.prefix(400)).withUnsafeBytes { digest.consume($0) }
        #expect(!digest.isComplete)
    }

    private func check(_ digest: HeapSnapshotDigest) {
        #expect(digest.isComplete)
        #expect(digest.nodeCount == 6)
        #expect(digest.totalSize == 144)
        #expect(digest.constructor(named: "Widget") == .init(name: "Widget", count: 2, shallowSize: 80))
        #expect(digest.constructor(named: "Function")?.count == 1)
        #expect(digest.constructor(named: "(string)")?.shallowSize == 24)
        #expect(digest.topConstructors(limit: 1).first?.name == "Widget")
    }
}
