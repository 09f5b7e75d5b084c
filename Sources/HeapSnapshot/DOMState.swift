/// DevTools' DOM state propagation: `native` nodes marked attached or detached pass their
/// state on to the native nodes they reference (not over hidden or weak edges), and detached
/// ones are renamed `Detached <name>`. Node.js marks its binding objects this way too.
enum DOMState {
    static let unknown: UInt8 = 0, attached: UInt8 = 1, detached: UInt8 = 2

    static func propagate(_ graph: inout HeapGraph, _ kinds: NodeKinds) {
        let n = graph.nodeCount
        if graph.detachedness.isEmpty {
            // Older files: the state is only visible in the name.
            graph.detachedness = [UInt8](repeating: unknown, count: n)
            for node in 0..<n where graph.nodeTypes[node] == kinds.native && graph.strings.hasPrefix(graph.nodeNames[node], "Detached ") {
                graph.detachedness[node] = detached
            }
            return
        }
        var visited = [Bool](repeating: false, count: n)
        var attachedStack: [UInt32] = [], detachedStack: [UInt32] = []
        var renamed: [UInt32: UInt32] = [:]

        func process(_ node: Int, _ state: UInt8) {
            if visited[node] { return }
            visited[node] = true
            guard graph.nodeTypes[node] == kinds.native else { return }
            graph.detachedness[node] = state
            if state == attached {
                attachedStack.append(UInt32(node))
            } else if state == detached {
                let name = graph.nodeNames[node]
                if let r = renamed[name] { graph.nodeNames[node] = r } else {
                    let r = graph.strings.append("Detached " + graph.strings[name])
                    renamed[name] = r
                    graph.nodeNames[node] = r
                }
                detachedStack.append(UInt32(node))
            }
        }
        func spread(from node: Int, _ state: UInt8) {
            for e in graph.edges(of: node) {
                let t = graph.edgeTypes[e]
                if t == kinds.hiddenEdge || t == kinds.weak { continue }
                process(Int(graph.edgeTargets[e]), state)
            }
        }
        for node in 0..<n where graph.detachedness[node] != unknown {
            process(node, graph.detachedness[node])
        }
        while let node = attachedStack.popLast() { spread(from: Int(node), attached) }
        while let node = detachedStack.popLast() {
            if graph.detachedness[Int(node)] != attached { spread(from: Int(node), detached) }
        }
    }
}
