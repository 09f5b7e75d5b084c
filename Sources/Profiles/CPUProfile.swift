import Foundation

/// A CPU profile in the Chrome DevTools Protocol's `Profiler.Profile` shape, the content of a
/// `.cpuprofile` file: a call tree (`nodes`, the first being the root) and the samples in
/// time order (`samples` holds node ids, `timeDeltas` the µs since the previous sample, the
/// first relative to `startTime`). Times are µs on CLOCK_MONOTONIC.
///
/// Encoding keeps the property order below: DevTools' Performance panel recognises a
/// profile only when `nodes` is the first key.
public struct CPUProfile: Codable, Sendable, Equatable {
    public var nodes: [Node]
    public var startTime: Int64
    public var endTime: Int64
    public var samples: [Int]
    public var timeDeltas: [Int64]

    public init(nodes: [Node], startTime: Int64, endTime: Int64, samples: [Int], timeDeltas: [Int64]) {
        self.nodes = nodes
        self.startTime = startTime
        self.endTime = endTime
        self.samples = samples
        self.timeDeltas = timeDeltas
    }

    /// One call-tree node: a function at one position in the tree.
    public struct Node: Codable, Sendable, Equatable {
        public var id: Int
        public var callFrame: CallFrame
        public var hitCount: Int?
        public var children: [Int]?
        public var positionTicks: [PositionTick]?
        public var deoptReason: String?

        public init(id: Int, callFrame: CallFrame, hitCount: Int? = nil, children: [Int]? = nil,
                    positionTicks: [PositionTick]? = nil, deoptReason: String? = nil) {
            self.id = id
            self.callFrame = callFrame
            self.hitCount = hitCount
            self.children = children
            self.positionTicks = positionTicks
            self.deoptReason = deoptReason
        }
    }

    /// Where a node's function is: name, script or module, 0-based line and column (-1 when unknown).
    public struct CallFrame: Codable, Sendable, Hashable {
        public var functionName: String
        public var scriptId: String
        public var url: String
        public var lineNumber: Int
        public var columnNumber: Int

        public init(functionName: String, scriptId: String = "0", url: String = "", lineNumber: Int = -1,
                    columnNumber: Int = -1) {
            self.functionName = functionName
            self.scriptId = scriptId
            self.url = url
            self.lineNumber = lineNumber
            self.columnNumber = columnNumber
        }

        /// V8 sends `scriptId` as a string; older files have it as a number.
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            functionName = try container.decode(String.self, forKey: .functionName)
            if let text = try? container.decode(String.self, forKey: .scriptId) {
                scriptId = text
            } else {
                scriptId = String(try container.decodeIfPresent(Int.self, forKey: .scriptId) ?? 0)
            }
            url = try container.decodeIfPresent(String.self, forKey: .url) ?? ""
            lineNumber = try container.decodeIfPresent(Int.self, forKey: .lineNumber) ?? -1
            columnNumber = try container.decodeIfPresent(Int.self, forKey: .columnNumber) ?? -1
        }
    }

    /// Samples that hit one source line (1-based) of a node's function.
    public struct PositionTick: Codable, Sendable, Equatable {
        public var line: Int
        public var ticks: Int

        public init(line: Int, ticks: Int) {
            self.line = line
            self.ticks = ticks
        }
    }

    /// When each sample was taken, µs on CLOCK_MONOTONIC.
    public var sampleTimes: [Int64] {
        var times: [Int64] = []
        times.reserveCapacity(timeDeltas.count)
        var time = startTime
        for delta in timeDeltas {
            time &+= delta  // crafted deltas near the ends of Int64 wrap instead of trapping
            times.append(time)
        }
        return times
    }

    /// The JSON text of a `.cpuprofile` file (compact, `nodes` first, fields left out when nil,
    /// as Foundation's encoder writes them), written directly: several times faster than the
    /// encoder for a large tree, and in order (Foundation's does not keep key order on Linux).
    public func encodedJSON() -> Data {
        var text = JSONText(reservingCapacity: nodes.count * 160 + samples.count * 12)
        text.raw("{\"nodes\":[")
        for (index, node) in nodes.enumerated() {
            if index > 0 { text.raw(",") }
            node.write(to: &text)
        }
        text.raw("],\"startTime\":")
        text.number(startTime)
        text.raw(",\"endTime\":")
        text.number(endTime)
        text.raw(",\"samples\":")
        text.numbers(samples)
        text.raw(",\"timeDeltas\":")
        text.numbers(timeDeltas)
        text.raw("}")
        return Data(text.bytes)
    }

    /// Reads a `.cpuprofile`; throws a readable error for anything that is not one.
    public static func decode(_ data: Data) throws -> CPUProfile {
        do {
            let profile = try JSONDecoder().decode(CPUProfile.self, from: data)
            try profile.validate()
            return profile
        } catch let error as ProfileFormatError {
            throw error
        } catch {
            throw ProfileFormatError(message: "not a valid .cpuprofile: \(error)")
        }
    }

    /// Checks the invariants DevTools relies on: unique ids, children and samples that name
    /// existing nodes, a tree (one parent per node, no cycle, the first node a root), one
    /// time delta per sample.
    public func validate() throws {
        var ids = Set<Int>()
        for node in nodes where !ids.insert(node.id).inserted {
            throw ProfileFormatError(message: "node id \(node.id) appears twice")
        }
        guard !nodes.isEmpty else { throw ProfileFormatError(message: "the profile has no nodes") }
        for node in nodes {
            for child in node.children ?? [] where !ids.contains(child) {
                throw ProfileFormatError(message: "node \(node.id) names a child \(child) that does not exist")
            }
        }
        try validateTreeShape()
        if let missing = samples.first(where: { !ids.contains($0) }) {
            throw ProfileFormatError(message: "a sample names node \(missing), which does not exist")
        }
        if samples.count != timeDeltas.count {
            throw ProfileFormatError(message: "\(samples.count) samples but \(timeDeltas.count) time deltas")
        }
    }
}

extension CPUProfile {
    /// Every node has at most one parent, the first node (the root) none, and no chain of
    /// parents loops: walks from a sample up to the root then always end, in at most
    /// `nodes.count` steps. Iterative, so a call tree millions deep is checked without recursion.
    func validateTreeShape() throws {
        var position: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() { position[node.id] = index }
        var parent = [Int](repeating: -1, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for child in node.children ?? [] {
                guard let childPosition = position[child] else { continue }
                guard childPosition != 0 else { throw ProfileFormatError(message: "node \(node.id) names the root node \(child) as its child") }
                guard parent[childPosition] < 0 else {
                    throw ProfileFormatError(message: "node \(child) is the child of two nodes (\(nodes[parent[childPosition]].id) and \(node.id))")
                }
                parent[childPosition] = index
            }
        }
        // 0: not yet seen, 1: on the chain being walked, 2: known to end.
        var state = [UInt8](repeating: 0, count: nodes.count)
        var chain: [Int] = []
        for start in nodes.indices where state[start] == 0 {
            var current = start
            while current >= 0, state[current] == 0 {
                state[current] = 1
                chain.append(current)
                current = parent[current]
            }
            if current >= 0, state[current] == 1 {
                throw ProfileFormatError(message: "the call tree has a cycle through node \(nodes[current].id)")
            }
            for member in chain { state[member] = 2 }
            chain.removeAll(keepingCapacity: true)
        }
    }
}

/// A `.cpuprofile` that cannot be read, and why.
public struct ProfileFormatError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension CPUProfile.Node {
    /// Appends this node as JSON, its fields in declaration order, nil ones left out.
    fileprivate func write(to text: inout JSONText) {
        text.raw("{\"id\":")
        text.number(id)
        text.raw(",\"callFrame\":{\"functionName\":")
        text.string(callFrame.functionName)
        text.raw(",\"scriptId\":")
        text.string(callFrame.scriptId)
        text.raw(",\"url\":")
        text.string(callFrame.url)
        text.raw(",\"lineNumber\":")
        text.number(callFrame.lineNumber)
        text.raw(",\"columnNumber\":")
        text.number(callFrame.columnNumber)
        text.raw("}")
        if let hitCount {
            text.raw(",\"hitCount\":")
            text.number(hitCount)
        }
        if let children {
            text.raw(",\"children\":")
            text.numbers(children)
        }
        if let positionTicks {
            text.raw(",\"positionTicks\":[")
            for (index, tick) in positionTicks.enumerated() {
                if index > 0 { text.raw(",") }
                text.raw("{\"line\":")
                text.number(tick.line)
                text.raw(",\"ticks\":")
                text.number(tick.ticks)
                text.raw("}")
            }
            text.raw("]")
        }
        if let deoptReason {
            text.raw(",\"deoptReason\":")
            text.string(deoptReason)
        }
        text.raw("}")
    }
}
