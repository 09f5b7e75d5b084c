/// Builds a call tree of a `SampledProfile` the way profilers show one: a node per distinct
/// path of functions from the root, with self samples and the lines they hit. Used by the
/// `.cpuprofile` and trace exporters.
struct CallTreeBuilder {
    /// One node; the root has no function.
    struct Node {
        var parent: Int?
        var callFrame: CPUProfile.CallFrame
        var children: [Int] = []
        var hitCount = 0
        var lineTicks: [Int: Int] = [:]
    }

    private(set) var nodes: [Node]
    private var childIndex: [ChildKey: Int] = [:]
    private var scriptIDs: [String: Int] = [:]
    private var callFrames: [Int: CPUProfile.CallFrame] = [:]
    /// The leaf node of each distinct (base node, stack, idle) seen, so that a stack that
    /// recurs in thousands of samples is walked once.
    private var leafIndex: [LeafKey: Int] = [:]
    private let profile: SampledProfile

    private struct LeafKey: Hashable {
        let base: Int
        let stack: Int
        let isIdle: Bool
    }

    private struct ChildKey: Hashable {
        let parent: Int
        let callFrame: CPUProfile.CallFrame
    }

    init(profile: SampledProfile) {
        self.profile = profile
        nodes = [Node(parent: nil, callFrame: CPUProfile.CallFrame(functionName: "(root)"))]
    }

    /// The node index for `callFrame` under `parent`, created when new.
    mutating func child(of parent: Int, _ callFrame: CPUProfile.CallFrame) -> Int {
        let key = ChildKey(parent: parent, callFrame: callFrame)
        if let existing = childIndex[key] { return existing }
        let index = nodes.count
        nodes.append(Node(parent: parent, callFrame: callFrame))
        nodes[parent].children.append(index)
        childIndex[key] = index
        return index
    }

    /// Adds one sample of `stack` below node `base`; returns the leaf node index.
    mutating func add(stack: Int, isIdle: Bool, below base: Int) -> Int {
        let key = LeafKey(base: base, stack: stack, isIdle: isIdle)
        let node: Int
        if let known = leafIndex[key] {
            node = known
        } else {
            var current = base
            for location in profile.stacks[stack] {
                current = child(of: current, callFrame(forFunction: profile.locations[location].function))
            }
            if isIdle { current = child(of: current, CPUProfile.CallFrame(functionName: SampledProfile.idleFunctionName)) }
            node = current
            leafIndex[key] = node
        }
        if !isIdle, let leaf = profile.stacks[stack].last, let line = profile.locations[leaf].line {
            nodes[node].lineTicks[line, default: 0] += 1
        }
        nodes[node].hitCount += 1
        return node
    }

    /// The node of a thread's pseudo-frame `name (tid)` under the root.
    mutating func threadNode(_ thread: SampledProfile.Thread) -> Int {
        child(of: 0, CPUProfile.CallFrame(functionName: thread.label))
    }

    /// DevTools' call frame for a function: 0-based start line, a script id per url.
    mutating func callFrame(forFunction index: Int) -> CPUProfile.CallFrame {
        if let known = callFrames[index] { return known }
        let function = profile.functions[index]
        var scriptID = 0
        if !function.url.isEmpty {
            if let known = scriptIDs[function.url] {
                scriptID = known
            } else {
                scriptID = scriptIDs.count + 1
                scriptIDs[function.url] = scriptID
            }
        }
        let callFrame = CPUProfile.CallFrame(functionName: function.name, scriptId: String(scriptID), url: function.url,
                                             lineNumber: (function.line ?? 0) - 1, columnNumber: -1)
        callFrames[index] = callFrame
        return callFrame
    }

    /// The nodes as `.cpuprofile` nodes, ids starting at 1 in index order.
    func profileNodes() -> [CPUProfile.Node] {
        nodes.enumerated().map { index, node in
            CPUProfile.Node(id: index + 1, callFrame: node.callFrame, hitCount: node.hitCount,
                            children: node.children.map { $0 + 1 },
                            positionTicks: node.lineTicks.isEmpty ? nil
                                : node.lineTicks.sorted { $0.key < $1.key }.map { CPUProfile.PositionTick(line: $0.key, ticks: $0.value) })
        }
    }
}
