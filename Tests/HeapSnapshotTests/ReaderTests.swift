import Foundation
import Testing
@testable import HeapSnapshot

/// A minimal snapshot in V8's layout: root → (GC roots), root →shortcut→ global, global.a → Leaf.
let tinySnapshot = """
{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],\
"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic","concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],\
"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],\
"location_fields":["object_index","script_id","line","column"]},"node_count":5,"edge_count":5,"trace_function_count":0},
"nodes":[9,0,1,0,2,0,0
,9,1,3,0,0,0,0
,3,2,5,40,2,0,0
,3,3,7,24,1,0,0
,2,4,9,16,0,0,0],
"edges":[1,1,7
,5,5,14
,2,6,21
,2,7,28
,2,8,28],
"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[21,3,10,4],
"strings":["","(GC roots)","global","Leaf","caf\\u00e9 \\ud83d\\ude00","global","a","b","s"]}
"""

func writeTemporary(_ text: String, name: String = "t.heapsnapshot") throws -> String {
    try writeTemporary(bytes: Array(text.utf8), name: name)
}

func writeTemporary(bytes: [UInt8], name: String = "t.heapsnapshot") throws -> String {
    let dir = NSTemporaryDirectory() + "diag-heap-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct ReaderTests {
    @Test func readsNodesEdgesStringsAndLocations() throws {
        let graph = try HeapSnapshotReader.read(path: try writeTemporary(tinySnapshot))
        #expect(graph.nodeCount == 5)
        #expect(graph.edgeCount == 5)
        #expect(graph.nodeIds == [1, 3, 5, 7, 9])
        #expect(graph.selfSizes == [0, 0, 40, 24, 16])
        #expect(graph.firstEdge == [0, 2, 2, 4, 5, 5])
        #expect(graph.edgeTargets == [1, 2, 3, 4, 4])
        #expect(graph.name(of: 3) == "Leaf")
        #expect(graph.name(of: 4) == "café 😀")
        #expect(graph.typeName(of: 4) == "string")
        #expect(graph.locations.all == [SourceLocation(node: 3, scriptId: 3, line: 10, column: 4)])
    }

    @Test func readsAcrossSmallBufferBoundaries() throws {
        let path = try writeTemporary(tinySnapshot)
        let reference = try HeapSnapshotReader.read(path: path)
        for chunk in [1, 2, 3, 7, 64] {
            let source = try ChunkedByteSource(path: path, chunkSize: chunk * 2)
            let graph = try HeapSnapshotReader.read(source, progress: nil)
            #expect(graph.nodeIds == reference.nodeIds)
            #expect(graph.edgeNames == reference.edgeNames)
            #expect(graph.name(of: 4) == "café 😀")
        }
    }

    @Test func emptyFileIsAClearError() throws {
        #expect(throws: HeapSnapshotError.invalid(reason: "the file is empty")) {
            try HeapSnapshotReader.read(path: try writeTemporary(""))
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: HeapSnapshotError.io(path: "/nonexistent/x.heapsnapshot", reason: "No such file or directory")) {
            try HeapSnapshotReader.read(path: "/nonexistent/x.heapsnapshot")
        }
    }

    @Test func truncationIsReportedWithTheOffset() throws {
        let bytes = Array(tinySnapshot.utf8)
        for cut in [1, 20, 300, bytes.count / 2, bytes.count - 40, bytes.count - 1] {
            let path = try writeTemporary(bytes: Array(bytes[..<cut]))
            do {
                _ = try HeapSnapshotReader.read(path: path)
                Issue.record("a file cut at \(cut) was accepted")
            } catch let HeapSnapshotError.truncated(offset, _) {
                #expect(offset == UInt64(cut))
            } catch {
                Issue.record("cut at \(cut): expected a truncation error, got \(error)")
            }
        }
    }

    @Test(arguments: [
        ("\"node_count\":5", "\"node_count\":4000000000", "the header says 4000000000 nodes"),
        ("[21,3,10,4]", "[22,3,10,4]", "not a node index"),
        (",2,8,28]", ",2,8,35]", "points to node 5"),
        (",2,8,28]", ",2,8,29]", "not a multiple"),
        (",2,8,28]", ",2,99,28]", "name index 99"),
        ("9,0,1,0,2,0,0", "9,0,1,0,3,0,0", "add up to 6"),
        ("9,0,1,0,2,0,0", "9,0,1,0,18446744073709551615,0,0", "more than 2^32"),
        (",9,1,3,0,0,0,0", ",9,1,3,0,18446744073709551615,0,0", "more than 2^32"),
        ("3,3,7,24", "33,3,7,24", "node type 33"),
        ("3,3,7,24", "3,3,7,99999999999999999999999", "number too large"),
        ("3,3,7,24", "3,3,7,-24", "negative number"),
        ("3,3,7,24", "3,3,7,2.5", "non-integer"),
        ("\"Leaf\"", "\"Le\\qf\"", "invalid escape"),
        ("\"Leaf\"", "\"Le\u{01}f\"", "control character"),
        ("{\"snapshot\":{\"meta\":{\"node_fields\"", "{\"snapshot\":{\"meta\":{\"nodx_fields\"", "node_fields is missing"),
        ("\"strings\":[", "\"strings\":{", "must be an array of strings"),
    ])
    func hostileContentIsRejected(original: String, replacement: String, expected: String) throws {
        #expect(tinySnapshot.contains(original))
        let path = try writeTemporary(tinySnapshot.replacingOccurrences(of: original, with: replacement))
        do {
            _ = try HeapSnapshotReader.read(path: path)
            Issue.record("accepted a file with \(replacement)")
        } catch let error as HeapSnapshotError {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func badUTF8IsRejected() throws {
        var bytes = Array(tinySnapshot.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "L"))!
        bytes[at] = 0xC3
        bytes[at + 1] = 0x28
        #expect(throws: HeapSnapshotError.malformed(offset: UInt64(at + 1), reason: "invalid UTF-8 in a string (strings)")) {
            try HeapSnapshotReader.read(path: try writeTemporary(bytes: bytes))
        }
    }

    @Test func trailingGarbageIsRejected() throws {
        #expect(throws: HeapSnapshotError.self) {
            try HeapSnapshotReader.read(path: try writeTemporary(tinySnapshot + "{}"))
        }
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        let text = tinySnapshot.replacingOccurrences(of: "\"Leaf\"", with: "\"a\\ud800b\"")
        let graph = try HeapSnapshotReader.read(path: try writeTemporary(text))
        #expect(graph.name(of: 3) == "a\u{FFFD}b")
    }
}
