import Foundation

/// One retainer-path step in the words of the code: variables and properties by name, keys as
/// written (`'config-changed'`), Map entries by their key, closures as `name (file:line)`.
struct ReadableStep {
    let analysis: SnapshotAnalysis
    let scripts: ScriptNames

    /// Internal edges that only restate the previous step: a closure's context, a context's
    /// enclosing context, a Map's or Set's hash table. The last step is never folded: it is
    /// the object the path leads to.
    static let folded: Set<String> = ["context", "previous", "table"]

    func text(edge: Int, node: Int, first: Bool, last: Bool) -> String {
        let graph = analysis.graph, kinds = analysis.kinds
        let type = graph.edgeTypes[edge]
        let name = kinds.hasStringName(type) ? graph.strings[graph.edgeNames[edge]] : String(graph.edgeNames[edge])
        if type == kinds.internalEdge && !last && Self.folded.contains(name) { return "" }
        var what = description(of: node)
        if last { what += " @\(graph.nodeIds[node])" }
        if first { return what }
        let label: String
        switch type {
        case kinds.property, kinds.context, kinds.shortcut: label = Self.isIdentifier(name) ? name : Self.singleQuoted(name)
        case kinds.internalEdge:
            if let key = mapKey(edge: edge, name: name) { label = key } else { label = "{\(name)}" }
        case kinds.weak: label = "[[\(name)]]"
        default: label = mapKey(edge: edge, name: name) ?? "[\(name)]"
        }
        return "\(label): \(what)"
    }

    /// `global` for a global object, `name (file:line)` for a closure, else the class name.
    private func description(of node: Int) -> String {
        let graph = analysis.graph
        let name = graph.name(of: node)
        if analysis.distances[node] == 1 && (name.hasPrefix("global /") || name.hasPrefix("Window /")) { return "global" }
        guard graph.nodeTypes[node] == analysis.kinds.closure else {
            return analysis.isString(node) ? analysis.displayName(of: node) : analysis.className(of: node)
        }
        let function = name.isEmpty ? "(anonymous)" : name
        guard let location = analysis.codeLocation(of: node, scripts: scripts) else { return function }
        let file = scripts.fileName(of: location.scriptId) ?? "script \(location.scriptId)"
        return "\(function) (\(file):\(location.line))"
    }

    /// In a Map's table (entries key, value, chain), the key of the value at slot `name`:
    /// `'req-7'` for a string key, the number for a number, the class for an object.
    private func mapKey(edge: Int, name: String) -> String? {
        let graph = analysis.graph
        guard let slot = Int(name), slot > 0 else { return nil }
        let table = graph.source(of: edge)
        guard let (owner, ownerEdge) = analysis.shortestRetainer(of: table),
              graph.edgeTypes[ownerEdge] == analysis.kinds.internalEdge,
              graph.strings[graph.edgeNames[ownerEdge]] == "table",
              analysis.className(of: owner) == "Map" else { return nil }
        let keyName = String(slot - 1)
        for e in graph.edges(of: table) {
            let t = graph.edgeTypes[e]
            let n = analysis.kinds.hasStringName(t) ? graph.strings[graph.edgeNames[e]] : String(graph.edgeNames[e])
            guard n == keyName else { continue }
            let key = analysis.edgeTarget(e)
            if analysis.isString(key) { return Self.singleQuoted(graph.name(of: key)) }
            if graph.typeName(of: key) == "number" { return graph.name(of: key) }
            return "{\(analysis.className(of: key))}"
        }
        return nil
    }

    /// Whether `name` can be written after a dot in JavaScript.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "$" }
    }

    /// A JavaScript single-quoted string literal, cut to 60 characters.
    static func singleQuoted(_ s: String) -> String {
        let text = s.count > 60 ? String(s.prefix(57)) + "..." : s
        let inner = JavaScriptStrings.jsonQuoted(text).dropFirst().dropLast()
        return "'" + inner.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
