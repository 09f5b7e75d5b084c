/// An inferred "interface" for plain objects: the name DevTools shows (`{a, b, c}`) and the
/// property names it stands for.
public struct InterfaceDefinition: Sendable, Equatable {
    public var name: String
    public var properties: [String]
}

/// DevTools' inference of plain-object interfaces and their application as class names.
enum InterfaceDefinitions {
    /// Longest interface name before properties stop being added.
    static let maxNameLength = 120
    /// An interface must describe at least this many objects (or 1/1000 of all plain objects).
    static let minimumCount = 2
    static let minimumFraction = 1000

    static func isPlainObject(_ graph: HeapGraph, _ node: Int, _ kinds: NodeKinds) -> Bool {
        graph.nodeTypes[node] == kinds.object && graph.strings.equals(graph.nodeNames[node], "Object")
    }

    /// Infers the definitions from the plain objects of `graph`. Objects are grouped by the
    /// string ids of their (length-limited) property list; names are built once per group.
    static func infer(_ graph: HeapGraph, _ kinds: NodeKinds) -> [InterfaceDefinition] {
        // Per string: UTF-16 length of the formatted property name; -1 unknown, -2 `__proto__`.
        var units = [Int32](repeating: -1, count: graph.strings.count)
        var groupOf: [[UInt32]: Int] = [:]
        var groups: [(properties: [UInt32], count: Int)] = []
        var plainObjects = 0
        var properties: [UInt32] = []
        for node in 0..<graph.nodeCount where isPlainObject(graph, node, kinds) {
            plainObjects += 1
            properties.removeAll(keepingCapacity: true)
            var length = 1
            for e in graph.edges(of: node) where graph.edgeTypes[e] == kinds.property {
                let nameIndex = graph.edgeNames[e]
                if units[Int(nameIndex)] == -1 {
                    units[Int(nameIndex)] = graph.strings.equals(nameIndex, "__proto__") ? -2
                        : Int32(JavaScriptStrings.utf16Length(JavaScriptStrings.formatPropertyName(graph.strings[nameIndex]).utf8))
                }
                let u = Int(units[Int(nameIndex)])
                if u == -2 { continue }
                if length > 1 && length + u > maxNameLength { break }
                if length != 1 { length += 2 }
                length += u
                properties.append(nameIndex)
            }
            if properties.isEmpty { continue }
            if let g = groupOf[properties] {
                groups[g].count += 1
            } else {
                groupOf[properties] = groups.count
                groups.append((properties, 1))
            }
        }
        // DevTools sorts by count, keeping first-seen order among equal counts (a stable sort).
        let order = groups.indices.sorted { groups[$0].count != groups[$1].count ? groups[$0].count > groups[$1].count : $0 < $1 }
        let threshold = max(Double(minimumCount), Double(plainObjects) / Double(minimumFraction))
        var result: [InterfaceDefinition] = []
        for g in order {
            if Double(groups[g].count) < threshold { break }
            let names = groups[g].properties.map { graph.strings[$0] }
            result.append(InterfaceDefinition(name: "{" + names.map(JavaScriptStrings.formatPropertyName).joined(separator: ", ") + "}",
                                              properties: names))
        }
        return result
    }

    /// Gives every plain object the class name of the definition with the most properties that
    /// are all among its own (ties: the earlier definition); others keep `Object`.
    static func apply(_ definitions: [InterfaceDefinition], graph: inout HeapGraph, kinds: NodeKinds, classIndex: inout [UInt32]) {
        guard !definitions.isEmpty else {
            for node in 0..<graph.nodeCount where isPlainObject(graph, node, kinds) { classIndex[node] = graph.nodeNames[node] }
            return
        }
        // Rank every property name used by a definition in JavaScript sort order.
        var propertyNames = Array(Set(definitions.flatMap(\.properties)))
        propertyNames.sort { a, b in
            let x = Array(a.utf8), y = Array(b.utf8)
            return x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in JavaScriptStrings.lessThan(xb, yb) } }
        }
        var rankOf: [String: Int32] = [:]
        for (i, p) in propertyNames.enumerated() { rankOf[p] = Int32(i) }

        // A trie over sorted property ranks.
        struct TrieNode { var next: [Int32: Int] = [:]; var greatestNext: Int32 = -1; var match: Int = -1 }
        var trie = [TrieNode()]
        for (index, definition) in definitions.enumerated() {
            var at = 0
            for rank in definition.properties.map({ rankOf[$0]! }).sorted() {
                if let child = trie[at].next[rank] { at = child; continue }
                trie.append(TrieNode())
                trie[at].next[rank] = trie.count - 1
                trie[at].greatestNext = max(trie[at].greatestNext, rank)
                at = trie.count - 1
            }
            if trie[at].match < 0 { trie[at].match = index }
        }
        let propertyCounts = definitions.map(\.properties.count)
        func better(_ a: Int, _ b: Int) -> Int {
            if a < 0 { return b }
            if b < 0 { return a }
            if propertyCounts[a] != propertyCounts[b] { return propertyCounts[a] > propertyCounts[b] ? a : b }
            return min(a, b)
        }

        var rankOfString: [UInt32: Int32] = [:]
        var unknownStrings = BitVector(count: graph.strings.count)
        var definitionClass = [UInt32](repeating: UInt32.max, count: definitions.count)
        var ranks: [Int32] = []
        var active: [Int] = [], nextActive: [Int] = []
        for node in 0..<graph.nodeCount where isPlainObject(graph, node, kinds) {
            ranks.removeAll(keepingCapacity: true)
            for e in graph.edges(of: node) where graph.edgeTypes[e] == kinds.property {
                let nameIndex = graph.edgeNames[e]
                if unknownStrings[Int(nameIndex)] { continue }
                if let r = rankOfString[nameIndex] { ranks.append(r); continue }
                if let r = rankOf[graph.strings[nameIndex]] { rankOfString[nameIndex] = r; ranks.append(r) } else { unknownStrings[Int(nameIndex)] = true }
            }
            ranks.sort()
            var best = trie[0].match
            active.removeAll(keepingCapacity: true)
            active.append(0)
            for rank in ranks {
                nextActive.removeAll(keepingCapacity: true)
                for t in active {
                    if trie[t].greatestNext > rank { nextActive.append(t) }
                    if let child = trie[t].next[rank] {
                        nextActive.append(child)
                        best = better(best, trie[child].match)
                    }
                }
                swap(&active, &nextActive)
                if active.isEmpty { break }
            }
            guard best >= 0 else { classIndex[node] = graph.nodeNames[node]; continue }
            if definitionClass[best] == UInt32.max { definitionClass[best] = graph.strings.append(definitions[best].name) }
            classIndex[node] = definitionClass[best]
        }
    }
}
