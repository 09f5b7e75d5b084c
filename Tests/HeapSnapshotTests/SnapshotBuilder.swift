import Foundation

/// Writes small synthetic `.heapsnapshot` files in V8's exact layout, for tests with known answers.
struct SnapshotBuilder {
    struct Node { var type: String; var name: String; var id: Int; var size: Int }
    struct Edge { var from: Int; var type: String; var name: String; var to: Int }

    static let nodeTypes = ["hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native",
                            "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape"]
    static let edgeTypes = ["context", "element", "property", "internal", "hidden", "shortcut", "weak"]

    var nodes: [Node] = []
    var edges: [Edge] = []

    /// Adds a node and returns its ordinal.
    @discardableResult
    mutating func node(_ type: String, _ name: String, size: Int = 0) -> Int {
        nodes.append(Node(type: type, name: name, id: 2 * nodes.count + 1, size: size))
        return nodes.count - 1
    }

    mutating func edge(_ from: Int, _ type: String, _ name: String, _ to: Int) {
        edges.append(Edge(from: from, type: type, name: name, to: to))
    }

    func text() -> String {
        var strings = [""]
        var index: [String: Int] = ["": 0]
        func s(_ x: String) -> Int {
            if let i = index[x] { return i }
            strings.append(x)
            index[x] = strings.count - 1
            return strings.count - 1
        }
        var nodeNumbers: [String] = []
        var edgeNumbers: [String] = []
        var outgoing = [[Edge]](repeating: [], count: nodes.count)
        for e in edges { outgoing[e.from].append(e) }
        for (i, n) in nodes.enumerated() {
            let out = outgoing[i]
            nodeNumbers.append("\(Self.nodeTypes.firstIndex(of: n.type)!),\(s(n.name)),\(n.id),\(n.size),\(out.count),0,0")
            for e in out {
                let t = Self.edgeTypes.firstIndex(of: e.type)!
                let name = (e.type == "element" || e.type == "hidden") ? Int(e.name)! : s(e.name)
                edgeNumbers.append("\(t),\(name),\(e.to * 7)")
            }
        }
        let types = Self.nodeTypes.map { "\"\($0)\"" }.joined(separator: ",")
        let edgeTypes = Self.edgeTypes.map { "\"\($0)\"" }.joined(separator: ",")
        return """
        {"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],\
        "node_types":[[\(types)],"string","number","number","number","number","number"],\
        "edge_fields":["type","name_or_index","to_node"],"edge_types":[[\(edgeTypes)],"string_or_number","node"]},\
        "node_count":\(nodes.count),"edge_count":\(edges.count),"trace_function_count":0},
        "nodes":[\(nodeNumbers.joined(separator: "\n,"))],
        "edges":[\(edgeNumbers.joined(separator: "\n,"))],
        "strings":[\(strings.map { "\"\($0)\"" }.joined(separator: ",\n"))]}
        """
    }
}
