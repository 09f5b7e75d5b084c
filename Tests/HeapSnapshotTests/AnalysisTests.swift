import Testing
@testable import HeapSnapshot

/// A graph with known dominators, sizes and distances:
/// root →shortcut→ global; global.a → A, global.b → B; A.x → C, B.y → C; C.z → D;
/// A →weak→ E (only weakly held); A →internal→ H (an array owned by A alone);
/// root → (GC roots) → S (reachable only from a GC root).
struct KnownGraph {
    var builder = SnapshotBuilder()
    let root, global, gcRoots, a, b, c, d, e, h, s: Int

    init() {
        root = builder.node("synthetic", "")
        global = builder.node("object", "global", size: 8)
        gcRoots = builder.node("synthetic", "(GC roots)")
        a = builder.node("object", "A", size: 10)
        b = builder.node("object", "B", size: 20)
        c = builder.node("object", "C", size: 30)
        d = builder.node("object", "D", size: 40)
        e = builder.node("object", "E", size: 50)
        h = builder.node("array", "", size: 16)
        s = builder.node("object", "S", size: 5)
        builder.edge(root, "element", "1", gcRoots)
        builder.edge(root, "shortcut", "global", global)
        builder.edge(global, "property", "a", a)
        builder.edge(global, "property", "b", b)
        builder.edge(a, "property", "x", c)
        builder.edge(a, "weak", "w", e)
        builder.edge(a, "internal", "elements", h)
        builder.edge(b, "property", "y", c)
        builder.edge(c, "property", "z", d)
        builder.edge(gcRoots, "element", "1", s)
    }

    func analysis() throws -> SnapshotAnalysis {
        SnapshotAnalysis(try HeapSnapshotReader.read(path: try writeTemporary(builder.text())))
    }
}

extension SnapshotAnalysis {
    /// Per node: immediate dominator ordinal (the root dominates itself), read back from the
    /// dominator tree's children lists.
    var dominators: [Int] {
        var result = [Int](repeating: graph.rootOrdinal, count: graph.nodeCount)
        for node in 0..<graph.nodeCount { for child in dominated.of(node) { result[Int(child)] = node } }
        return result
    }
}

@Suite struct AnalysisTests {
    @Test func dominatorsFollowDevToolsRules() throws {
        let g = KnownGraph()
        let analysis = try g.analysis()
        let expected: [Int: Int] = [g.global: g.root, g.a: g.global, g.b: g.global, g.c: g.global, g.d: g.c,
                                    g.e: g.root, g.h: g.a, g.gcRoots: g.root, g.s: g.gcRoots]
        for (node, dominator) in expected {
            #expect(analysis.dominators[node] == dominator, "dominator of \(analysis.graph.name(of: node))")
        }
    }

    @Test func shallowSizeOfOwnedArrayMovesToItsOwner() throws {
        let g = KnownGraph()
        let analysis = try g.analysis()
        #expect(analysis.shallowSizes[g.a] == 26)
        #expect(analysis.shallowSizes[g.h] == 0)
        #expect(analysis.graph.selfSizes[g.a] == 10)
    }

    @Test func retainedSizesAreExact() throws {
        let g = KnownGraph()
        let analysis = try g.analysis()
        let expected: [Int: Double] = [g.d: 40, g.c: 70, g.a: 26, g.b: 20, g.e: 50, g.global: 124, g.s: 5, g.gcRoots: 5, g.root: 179]
        for (node, size) in expected { #expect(analysis.retainedSizes[node] == size, "retained size of \(analysis.graph.name(of: node))") }
        #expect(analysis.totalSize == 179)
        #expect(analysis.unreachableCount == 1)
    }

    @Test func distancesStartAtTheGlobals() throws {
        let g = KnownGraph()
        let analysis = try g.analysis()
        #expect(analysis.distances[g.global] == 1)
        #expect(analysis.distances[g.a] == 2)
        #expect(analysis.distances[g.c] == 3)
        #expect(analysis.distances[g.d] == 4)
        #expect(analysis.distances[g.root] == 100_000_000)
        #expect(analysis.distances[g.s] == 100_000_002)
        #expect(analysis.distances[g.e] == -5)
    }

    @Test func summaryRowsLeaveOutZeroSizedObjects() throws {
        let analysis = try KnownGraph().analysis()
        let rows = Dictionary(uniqueKeysWithValues: analysis.classSummary().map { ($0.key, $0) })
        #expect(rows[",(array)"] == nil)
        #expect(rows[",A"] == ClassSummaryRow(key: ",A", name: "A", count: 1, shallowSize: 26, retainedSize: 26, distance: 2))
        #expect(rows[",C"]?.retainedSize == 70)
        #expect(rows.count == 7)
    }

    @Test func retainerPathNamesTheEdges() throws {
        let g = KnownGraph()
        let analysis = try g.analysis()
        let path = analysis.retainerPath(to: g.d)
        #expect(path.map(\.edgeName) == ["global", "a", "x", "z"])
        #expect(path.map(\.className) == ["global", "A", "C", "D"])
    }

    @Test func plainObjectsGetInterfaceNames() throws {
        var builder = SnapshotBuilder()
        let root = builder.node("synthetic", "")
        let global = builder.node("object", "global", size: 8)
        builder.edge(root, "shortcut", "global", global)
        for i in 0..<3 {
            let o = builder.node("object", "Object", size: 24)
            builder.edge(global, "element", String(i), o)
            builder.edge(o, "property", "x", global)
            builder.edge(o, "property", "y,z", global)
        }
        let single = builder.node("object", "Object", size: 24)
        builder.edge(global, "element", "9", single)
        builder.edge(single, "property", "only", global)
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: try writeTemporary(builder.text())))
        #expect(analysis.interfaceDefinitions == [InterfaceDefinition(name: "{x, \"y,z\"}", properties: ["x", "y,z"])])
        #expect(analysis.className(of: 2) == "{x, \"y,z\"}")
        #expect(analysis.className(of: single) == "Object")
    }

    @Test func weakMapPairEdgeNamesAreRecognized() {
        let name = "12 / part of key (Object @6161) -> value (Session @82941) pair in WeakMap (table @78485)"
        let parsed = Array(name.utf8).withUnsafeBufferPointer { WeakMapEdgeName.parse($0) }
        #expect(parsed?.tableId == 78485)
        #expect(parsed.map { String(decoding: $0.pair, as: UTF8.self) } == " / part of key (Object @6161) -> value (Session @82941) pair in WeakMap (table @78485)")
        for other in ["part of key (a @1) -> value (b @2) pair in WeakMap (table @3)", "1 / part of key (a @1) pair in WeakMap (table @3)",
                      "1 / part of key (a @1) -> value (b @2) pair in WeakMap (table @)", "elements"] {
            #expect(Array(other.utf8).withUnsafeBufferPointer { WeakMapEdgeName.parse($0) } == nil, "\(other)")
        }
    }

    @Test func deepChainsNeedNoRecursion() throws {
        var builder = SnapshotBuilder()
        let root = builder.node("synthetic", "")
        var previous = builder.node("object", "global", size: 8)
        builder.edge(root, "shortcut", "global", previous)
        for _ in 0..<100_000 {
            let next = builder.node("object", "Link", size: 16)
            builder.edge(previous, "property", "next", next)
            previous = next
        }
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: try writeTemporary(builder.text())))
        #expect(analysis.totalSize == 8 + 16 * 100_000)
        #expect(analysis.distances[previous] == 100_001)
        #expect(analysis.retainerPath(to: previous).count == 100)
    }
}
