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

    /// Infers the definitions from the plain objects of `graph`.
    static func infer(_ graph: HeapGraph, _ kinds: NodeKinds) -> [InterfaceDefinition] {
        struct Candidate { var name: String; var properties: [String]; var count: Int; var order: Int }
        var candidates: [String: Candidate] = [:]
        var plainObjects = 0
        var nameCache: [UInt32: (formatted: String, units: Int)] = [:]
        for node in 0..<graph.nodeCount where isPlainObject(graph, node, kinds) {
            plainObjects += 1
            var name = "{"
            var units = 1
            var properties: [String] = []
            for e in graph.edges(of: node) where graph.edgeTypes[e] == kinds.property {
                let nameIndex = graph.edgeNames[e]
                if graph.strings.equals(nameIndex, "__proto__") { continue }
                let entry: (formatted: String, units: Int)
                if let hit = nameCache[nameIndex] { entry = hit } else {
                    let formatted = JavaScriptStrings.formatPropertyName(graph.strings[nameIndex])
                    entry = (formatted, JavaScriptStrings.utf16Length(formatted.utf8))
                    nameCache[nameIndex] = entry
                }
                if units > 1 && units + entry.units > maxNameLength { break }
                if units != 1 { name += ", "; units += 2 }
                name += entry.formatted
                units += entry.units
                properties.append(graph.strings[nameIndex])
            }
            if properties.isEmpty { continue }
            name += "}"
            if candidates[name] != nil {
                candidates[name]!.count += 1
            } else {
                candidates[name] = Candidate(name: name, properties: properties, count: 1, order: candidates.count)
            }
        }
        let sorted = candidates.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.order < $1.order }
        let threshold = max(Double(minimumCount), Double(plainObjects) / Double(minimumFraction))
        var result: [InterfaceDefinition] = []
        for c in sorted {
            if Double(c.count) < threshold { break }
            result.append(InterfaceDefinition(name: c.name, properties: c.properties))
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
