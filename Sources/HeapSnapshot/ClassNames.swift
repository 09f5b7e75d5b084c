/// DevTools' class (constructor) name of every node, as a string index:
/// `(system)` for hidden nodes, `(compiled code)`, `Function` for closures, `RegExp`, the node
/// name for objects and native nodes (`<div id=…>` shortened to `<div>`), `(type)` otherwise;
/// plain `Object`s then get an inferred interface name like `{a, b, c}`.
enum ClassNames {
    static func compute(_ graph: inout HeapGraph, _ kinds: NodeKinds) -> [UInt32] {
        var added: [String: UInt32] = [:]
        func intern(_ s: String) -> UInt32 {
            if let i = added[s] { return i }
            let i = graph.strings.append(s)
            added[s] = i
            return i
        }
        let system = intern("(system)"), compiledCode = intern("(compiled code)")
        let function = intern("Function"), regexp = intern("RegExp")
        var typeNames: [UInt8: UInt32] = [:]
        var classIndex = [UInt32](repeating: 0, count: graph.nodeCount)
        for node in 0..<graph.nodeCount {
            let t = graph.nodeTypes[node]
            switch t {
            case kinds.hidden: classIndex[node] = system
            case kinds.object, kinds.native:
                let name = graph.nodeNames[node]
                if graph.strings.hasPrefix(name, "<") || graph.strings.hasPrefix(name, "Detached <") {
                    let full = graph.strings[name]
                    let searchFrom = full.hasPrefix("<") ? 0 : 10
                    let utf8 = Array(full.utf8)
                    if let space = utf8[searchFrom...].firstIndex(of: 0x20) {
                        classIndex[node] = intern(String(decoding: utf8[..<space], as: UTF8.self) + ">")
                    } else {
                        classIndex[node] = intern(full)
                    }
                } else {
                    classIndex[node] = name
                }
            case kinds.code: classIndex[node] = compiledCode
            case kinds.closure: classIndex[node] = function
            case kinds.regexp: classIndex[node] = regexp
            default:
                if let i = typeNames[t] { classIndex[node] = i } else {
                    let i = intern("(" + graph.meta.nodeTypeNames[Int(t)] + ")")
                    typeNames[t] = i
                    classIndex[node] = i
                }
            }
        }
        return classIndex
    }
}
