/// A V8 `.cpuprofile` (one JavaScript thread) as a `SampledProfile`, the input of every
/// exporter, so that `diag cpu --format pprof` on a Node.js target writes the same samples
/// as the `.cpuprofile` would: one stack per call-tree node, one function per (name, url,
/// first line) as DevTools groups them, and one location per (function, line).
///
/// Lines: a caller frame is shown at its function's first line (V8 records no call-site
/// lines); a sampled (leaf) frame at the lines of its node's `positionTicks`, handed out to
/// the node's samples in the tick counts V8 gives (V8 records the count per line, not which
/// sample hit which line), then at the function's first line once the ticks run out.
extension SampledProfile {
    /// The thread a JavaScript profile was taken on: `tid` is 0 when unknown (worker
    /// threads), and the pprof exporter then leaves the `tid` label out.
    public struct JavaScriptThread: Sendable {
        public var tid: Int32
        public var name: String

        public init(tid: Int32, name: String) {
            self.tid = tid
            self.name = name
        }
    }

    /// Converts `profile`; `sampleInterval` is the µs V8 was asked to sample every.
    public init(javaScript profile: CPUProfile, pid: Int32, processName: String, thread: JavaScriptThread,
                sampleInterval: Int64) {
        var converter = JavaScriptStacks(profile)
        var samples: [Sample] = []
        samples.reserveCapacity(profile.samples.count)
        for (sampleTime, nodeID) in zip(profile.sampleTimes, profile.samples) {
            guard let position = converter.position[nodeID] else { continue }
            samples.append(Sample(time: sampleTime, stack: converter.stack(sampledAt: position)))
        }
        self.init(pid: pid, processName: processName, functions: converter.functions, locations: converter.locations,
                  stacks: converter.stacks, threads: [Thread(tid: thread.tid, name: thread.name, samples: samples)],
                  startTime: profile.startTime, endTime: profile.endTime, sampleInterval: max(1, sampleInterval))
    }
}

/// The tables of the conversion, each entry made once.
private struct JavaScriptStacks {
    private struct FunctionKey: Hashable { let name: String, url: String, line: Int? }
    private struct StackKey: Hashable { let node: Int, line: Int? }

    let profile: CPUProfile
    let position: [Int: Int]
    private var parent: [Int?]
    private var functionOf: [Int]
    private(set) var functions: [SampledProfile.Function] = []
    private(set) var locations: [SampledProfile.Location] = []
    private(set) var stacks: [[Int]] = []
    private var locationIndex: [SampledProfile.Location: Int] = [:]
    private var stackIndex: [StackKey: Int] = [:]
    /// Per node: the (line, ticks left) of its positionTicks not yet handed out.
    private var ticksLeft: [Int: [(line: Int, ticks: Int)]] = [:]

    init(_ profile: CPUProfile) {
        self.profile = profile
        var position: [Int: Int] = [:]
        for (index, node) in profile.nodes.enumerated() where position[node.id] == nil { position[node.id] = index }
        self.position = position
        parent = [Int?](repeating: nil, count: profile.nodes.count)
        for (index, node) in profile.nodes.enumerated() {
            for child in node.children ?? [] {
                if let childPosition = position[child], childPosition != 0, parent[childPosition] == nil { parent[childPosition] = index }
            }
        }
        functionOf = []
        var functionIndex: [FunctionKey: Int] = [:]
        for node in profile.nodes {
            let frame = node.callFrame
            let key = FunctionKey(name: frame.functionName.isEmpty ? "(anonymous)" : frame.functionName, url: frame.url,
                                  line: frame.lineNumber >= 0 ? frame.lineNumber + 1 : nil)
            if let known = functionIndex[key] {
                functionOf.append(known)
            } else {
                functionIndex[key] = functions.count
                functionOf.append(functions.count)
                functions.append(SampledProfile.Function(name: key.name, url: key.url, line: key.line))
            }
            if let ticks = node.positionTicks, !ticks.isEmpty {
                ticksLeft[node.id] = ticks.filter { $0.ticks > 0 }.map { (line: $0.line, ticks: $0.ticks) }
            }
        }
    }

    /// The stack of one sample of the node at `node` (a position in `nodes`).
    mutating func stack(sampledAt node: Int) -> Int {
        let id = profile.nodes[node].id
        var line = functions[functionOf[node]].line
        if var ticks = ticksLeft[id], !ticks.isEmpty {
            line = ticks[0].line
            ticks[0].ticks -= 1
            if ticks[0].ticks == 0 { ticks.removeFirst() }
            ticksLeft[id] = ticks
        }
        return stack(node: node, leafLine: line)
    }

    /// Stacks root first; the root node itself is a frame only when a sample hit it.
    private mutating func stack(node: Int, leafLine: Int?) -> Int {
        let key = StackKey(node: node, line: leafLine)
        if let known = stackIndex[key] { return known }
        var frames: [Int] = []
        var current = parent[node]
        while let ancestor = current, ancestor != 0 {
            frames.append(location(function: functionOf[ancestor], line: functions[functionOf[ancestor]].line))
            current = parent[ancestor]
        }
        frames.reverse()
        frames.append(location(function: functionOf[node], line: leafLine))
        stackIndex[key] = stacks.count
        stacks.append(frames)
        return stacks.count - 1
    }

    private mutating func location(function: Int, line: Int?) -> Int {
        let location = SampledProfile.Location(function: function, line: line)
        if let known = locationIndex[location] { return known }
        locationIndex[location] = locations.count
        locations.append(location)
        return locations.count - 1
    }
}
