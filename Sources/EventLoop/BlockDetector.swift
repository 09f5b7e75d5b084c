import Profiles

/// Finds the event-loop blocks in a CPU profile taken at a fine sampling interval. The
/// profile is split where the loop was idle (V8's `(idle)` samples, which Node takes while
/// it waits in epoll); each busy stretch lasting at least the threshold is a block.
///
/// A sample stands for the time since the one before it: a main thread stuck in a system
/// call (readFileSync) gets no sample until the call returns, then one sample with a long
/// time delta. A stretch therefore starts at the last idle sample before it and ends at its
/// last busy sample, and its samples are weighed by their time deltas. The block is
/// attributed to the function that holds most of that time (the innermost frame of the
/// application's own code, else of Node's), and its kind is the one most of the time shows.
public struct BlockDetector {
    public let profile: CPUProfile
    private var nodes: [Int: CPUProfile.Node] = [:]
    private var parents: [Int: Int] = [:]
    private var classifier: BlockKindClassifier

    /// `sourceLine` gives the text of a 1-based line of a script (nil when unknown); it
    /// names RegExp and JSON work, which V8 shows as the calling function's own time.
    public init(profile: CPUProfile, sourceLine: @escaping (_ url: String, _ line: Int) -> String? = { _, _ in nil }) {
        self.profile = profile
        classifier = BlockKindClassifier(sourceLine: sourceLine)
        for node in profile.nodes {
            nodes[node.id] = node
            for child in node.children ?? [] { parents[child] = node.id }
        }
    }

    /// The blocks of at least `thresholdMicroseconds`, in time order.
    public mutating func blocks(thresholdMicroseconds: Int64) -> [LoopBlock] {
        let times = profile.sampleTimes
        var found: [LoopBlock] = []
        var index = 0
        while index < profile.samples.count {
            guard !isIdle(profile.samples[index]) else {
                index += 1
                continue
            }
            let first = index
            while index < profile.samples.count && !isIdle(profile.samples[index]) { index += 1 }
            let last = index - 1
            // The first sample's delta counts from the profiler's start, not from a sample.
            let start = first > 0 ? times[first - 1] : times[first]
            guard times[last] - start >= thresholdMicroseconds else { continue }
            found.append(block(samples: first...last, times: times, start: start))
        }
        return found
    }

    /// The share of the profile's time the loop was not idle (each sample standing for the
    /// time since the one before it, the first sample's own delta left out): the event-loop
    /// utilization.
    public var utilization: Double {
        var busy: Int64 = 0
        var total: Int64 = 0
        for index in profile.samples.indices.dropFirst() {
            let delta = profile.timeDeltas[index]
            total += delta
            if !isIdle(profile.samples[index]) { busy += delta }
        }
        return total > 0 ? Double(busy) / Double(total) : 0
    }

    private func isIdle(_ nodeID: Int) -> Bool {
        nodes[nodeID]?.callFrame.functionName == "(idle)"
    }

    private mutating func block(samples range: ClosedRange<Int>, times: [Int64], start: Int64) -> LoopBlock {
        var holders: [CPUProfile.CallFrame: Int64] = [:]
        var kinds: [LoopBlockKind: Int64] = [:]
        var stackTimes: [Int: Int64] = [:]
        var stackHolder: [Int: CPUProfile.CallFrame] = [:]
        for index in range {
            let nodeID = profile.samples[index]
            let weight = max(times[index] - (index > range.lowerBound ? times[index - 1] : start), 1)
            let stack = frames(of: nodeID)
            let holder = Self.holder(of: stack)
            holders[holder, default: 0] += weight
            kinds[classifier.kind(of: stack, hotLine: hotLine(of: nodeID)), default: 0] += weight
            stackTimes[nodeID, default: 0] += weight
            stackHolder[nodeID] = holder
        }
        let holder = Self.heaviest(holders) ?? CPUProfile.CallFrame(functionName: "(program)")
        let heaviestStack = Self.heaviest(stackTimes.filter { stackHolder[$0.key] == holder }) ?? profile.samples[range.lowerBound]
        return LoopBlock(function: Self.displayName(holder), url: holder.url, line: Self.line(holder),
                         kind: Self.heaviest(kinds) ?? .native,
                         durationMilliseconds: Double(times[range.upperBound] - start) / 1000,
                         startMilliseconds: Double(start - profile.startTime) / 1000,
                         stack: frames(of: heaviestStack).map {
                             LoopBlock.Frame(function: Self.displayName($0), url: $0.url, line: Self.line($0))
                         })
    }

    /// The key with the largest value; ties go to the smallest key text, so results are stable.
    private static func heaviest<Key: Hashable>(_ weights: [Key: Int64]) -> Key? {
        weights.max { left, right in
            left.value != right.value ? left.value < right.value : "\(left.key)" > "\(right.key)"
        }?.key
    }

    /// The frames of a node, innermost first, without the `(root)` above them.
    private func frames(of nodeID: Int) -> [CPUProfile.CallFrame] {
        var result: [CPUProfile.CallFrame] = []
        var current: Int? = nodeID
        while let id = current, let node = nodes[id] {
            if parents[id] == nil && node.callFrame.functionName == "(root)" && !result.isEmpty { break }
            result.append(node.callFrame)
            current = parents[id]
        }
        return result
    }

    /// The line (1-based) where the node's function spent most of its own samples.
    private func hotLine(of nodeID: Int) -> Int? {
        let ticks = nodes[nodeID]?.positionTicks ?? []
        return ticks.max { $0.ticks != $1.ticks ? $0.ticks < $1.ticks : $0.line > $1.line }?.line
    }

    /// The frame a sample is charged to: the innermost one in the application's own code,
    /// else the innermost with a script, else the innermost.
    static func holder(of stack: [CPUProfile.CallFrame]) -> CPUProfile.CallFrame {
        stack.first { !$0.url.isEmpty && !$0.url.hasPrefix("node:") }
            ?? stack.first { !$0.url.isEmpty }
            ?? stack.first
            ?? CPUProfile.CallFrame(functionName: "(program)")
    }

    static func displayName(_ frame: CPUProfile.CallFrame) -> String {
        frame.functionName.isEmpty ? "(anonymous)" : frame.functionName
    }

    static func line(_ frame: CPUProfile.CallFrame) -> Int? {
        frame.lineNumber >= 0 && !frame.url.isEmpty ? frame.lineNumber + 1 : nil
    }
}
