import Profiles

/// Per-function sample counts of a `SampledProfile`: self (the function is the leaf),
/// total (anywhere on the stack, once per sample) and the line hit most as the leaf.
/// Samples of off-CPU threads count as self time of `(idle)`.
public struct FunctionStatistics: Codable, Sendable, Equatable {
    /// One function's numbers; shares are fractions of the samples considered.
    public struct Row: Codable, Sendable, Equatable {
        public var function: String
        public var file: String?
        /// The 1-based line that the most self samples hit.
        public var line: Int?
        public var module: String?
        public var selfSamples: Int
        public var totalSamples: Int
        public var selfShare: Double
        public var totalShare: Double

        /// `name (file:line)` for tables.
        public var label: String {
            guard let file else { return function }
            let base = file.split(separator: "/").last.map(String.init) ?? file
            return line.map { "\(function) (\(base):\($0))" } ?? "\(function) (\(base))"
        }
    }

    public var sampleCount: Int
    public var bySelf: [Row]
    public var byTotal: [Row]

    /// Counts the samples of `threads` (all threads when nil).
    public init(_ profile: SampledProfile, threads: Set<Int32>? = nil) {
        let idle = profile.functions.count
        var selfCount = [Int](repeating: 0, count: idle + 1)
        var totalCount = [Int](repeating: 0, count: idle + 1)
        var lines = [[Int: Int]](repeating: [:], count: idle + 1)
        var seen = [Int](repeating: -1, count: idle + 1)
        var sampleNumber = 0
        for thread in profile.threads where threads?.contains(thread.tid) ?? true {
            for sample in thread.samples {
                sampleNumber += 1
                let stack = profile.stacks[sample.stack]
                for location in stack {
                    let function = profile.locations[location].function
                    if seen[function] != sampleNumber {
                        seen[function] = sampleNumber
                        totalCount[function] += 1
                    }
                }
                if sample.isIdle {
                    selfCount[idle] += 1
                    totalCount[idle] += 1
                } else if let leaf = stack.last {
                    let location = profile.locations[leaf]
                    selfCount[location.function] += 1
                    if let line = location.line { lines[location.function][line, default: 0] += 1 }
                }
            }
        }
        sampleCount = sampleNumber
        let total = Double(max(sampleNumber, 1))
        let rows: [Row] = (0...idle).compactMap { index in
            guard totalCount[index] > 0 else { return nil }
            let function = index < idle ? profile.functions[index] : SampledProfile.Function(name: SampledProfile.idleFunctionName)
            let hottest = lines[index].max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
            let hasSource = function.line != nil || hottest != nil
            return Row(function: function.name, file: hasSource && !function.url.isEmpty ? function.url : nil,
                       line: hottest ?? function.line, module: function.module,
                       selfSamples: selfCount[index], totalSamples: totalCount[index],
                       selfShare: Double(selfCount[index]) / total, totalShare: Double(totalCount[index]) / total)
        }
        bySelf = rows.filter { $0.selfSamples > 0 }.sorted { ($0.selfSamples, $0.totalSamples) > ($1.selfSamples, $1.totalSamples) }
        byTotal = rows.sorted { ($0.totalSamples, $0.selfSamples) > ($1.totalSamples, $1.selfSamples) }
    }
}
