/// The top functions of a CPU profile by self time (samples in the function itself) and by
/// total time (samples with the function anywhere on the stack, counted once per sample
/// even under recursion). Functions are identified by name, url and line, as DevTools'
/// Bottom-up view groups them.
public struct ProfileSummary: Codable, Sendable {
    /// One function's share of the samples.
    public struct FunctionShare: Codable, Sendable, Equatable {
        public var functionName: String
        public var url: String
        /// 1-based line, or nil when unknown.
        public var line: Int?
        public var selfSamples: Int
        public var totalSamples: Int
        /// Fractions of all samples, 0...1.
        public var selfShare: Double
        public var totalShare: Double
        /// Self and total time in milliseconds, from the profile's time deltas.
        public var selfMilliseconds: Double
        public var totalMilliseconds: Double

        /// `name (file:line)` for tables.
        public var label: String {
            let name = functionName.isEmpty ? "(anonymous)" : functionName
            guard !url.isEmpty else { return name }
            let file = url.split(separator: "/").last.map(String.init) ?? url
            return line.map { "\(name) (\(file):\($0))" } ?? "\(name) (\(file))"
        }
    }

    public var sampleCount: Int
    /// Wall time covered by the profile, in milliseconds.
    public var durationMilliseconds: Double
    /// All functions, by self samples, largest first.
    public var bySelf: [FunctionShare]
    /// All functions, by total samples, largest first.
    public var byTotal: [FunctionShare]

    /// Computes the summary; `(root)` is left out.
    public init(profile: CPUProfile) {
        let index = CallTreeIndex(profile)
        struct Key: Hashable { let name: String, url: String, line: Int }
        var functionOf = [Int](repeating: 0, count: profile.nodes.count)
        var keys: [Key] = []
        var keyIndex: [Key: Int] = [:]
        for (position, node) in profile.nodes.enumerated() {
            let frame = node.callFrame
            let key = Key(name: frame.functionName, url: frame.url, line: frame.lineNumber)
            if let existing = keyIndex[key] {
                functionOf[position] = existing
            } else {
                keyIndex[key] = keys.count
                functionOf[position] = keys.count
                keys.append(key)
            }
        }
        var selfCount = [Int](repeating: 0, count: keys.count)
        var totalCount = [Int](repeating: 0, count: keys.count)
        var selfTime = [Double](repeating: 0, count: keys.count)
        var totalTime = [Double](repeating: 0, count: keys.count)
        var lastSeen = [Int](repeating: -1, count: keys.count)
        let intervals = ProfileSummary.sampleIntervals(profile)
        for (sampleNumber, nodeID) in profile.samples.enumerated() {
            guard var position = index.position[nodeID] else { continue }
            let milliseconds = intervals[sampleNumber] / 1000
            selfCount[functionOf[position]] += 1
            selfTime[functionOf[position]] += milliseconds
            while position != index.rootPosition {
                let function = functionOf[position]
                if lastSeen[function] != sampleNumber {
                    lastSeen[function] = sampleNumber
                    totalCount[function] += 1
                    totalTime[function] += milliseconds
                }
                guard let parent = index.parent[position] else { break }
                position = parent
            }
        }
        sampleCount = profile.samples.count
        durationMilliseconds = Double(profile.endTime - profile.startTime) / 1000
        let rootFunction = index.rootPosition.map { functionOf[$0] }
        let total = Double(max(sampleCount, 1))
        let shares: [FunctionShare] = keys.indices.compactMap { function in
            guard function != rootFunction, totalCount[function] > 0 else { return nil }
            let key = keys[function]
            return FunctionShare(functionName: key.name, url: key.url, line: key.line >= 0 ? key.line + 1 : nil,
                                 selfSamples: selfCount[function], totalSamples: totalCount[function],
                                 selfShare: Double(selfCount[function]) / total,
                                 totalShare: Double(totalCount[function]) / total,
                                 selfMilliseconds: selfTime[function], totalMilliseconds: totalTime[function])
        }
        bySelf = shares.sorted { ($0.selfSamples, $0.totalSamples) > ($1.selfSamples, $1.totalSamples) }
        byTotal = shares.sorted { ($0.totalSamples, $0.selfSamples) > ($1.totalSamples, $1.selfSamples) }
    }

    /// The time each sample stands for, in µs: the gap to the next sample (the last sample
    /// gets the gap to `endTime`), as DevTools attributes time.
    static func sampleIntervals(_ profile: CPUProfile) -> [Double] {
        let timestamps = profile.sampleTimes
        return timestamps.indices.map { sample in
            let next = sample + 1 < timestamps.count ? timestamps[sample + 1] : max(profile.endTime, timestamps[sample])
            return Double(max(0, next - timestamps[sample]))
        }
    }
}

/// Positions and parents of a profile's nodes, for walking from a sample up to the root.
struct CallTreeIndex {
    var position: [Int: Int] = [:]
    var parent: [Int?]
    var rootPosition: Int?

    init(_ profile: CPUProfile) {
        parent = Array(repeating: nil, count: profile.nodes.count)
        for (index, node) in profile.nodes.enumerated() { position[node.id] = index }
        for (index, node) in profile.nodes.enumerated() {
            for child in node.children ?? [] {
                if let childPosition = position[child] { parent[childPosition] = index }
            }
        }
        rootPosition = profile.nodes.isEmpty ? nil : 0
    }
}
