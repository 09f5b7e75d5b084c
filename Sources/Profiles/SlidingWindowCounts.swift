/// The windows of `diag top` that fall within the last `span` seconds, summed per thread and
/// over all threads into rows sorted by self or total samples.
public struct SlidingWindowCounts: Sendable {
    /// One function's share of a section's samples.
    public struct Row: Sendable, Equatable {
        public var label: String
        public var selfSamples: Int
        public var totalSamples: Int
        public var selfShare: Double
        public var totalShare: Double
    }

    /// All threads together, or one thread.
    public struct Section: Sendable {
        /// nil for the section of all threads.
        public var tid: Int32?
        public var name: String
        public var samples: Int
        /// Rows by self samples (functions with none left out), then by total samples.
        public var bySelf: [Row]
        public var byTotal: [Row]
    }

    public let span: Double
    public private(set) var windows: [TopWindow] = []

    public init(span: Double) {
        self.span = span
    }

    /// Adds a window and forgets those that ended `span` seconds or more before it.
    public mutating func add(_ window: TopWindow) {
        windows.append(window)
        windows.removeAll { $0.end <= window.end - span }
    }

    /// The section of all threads, then one per thread with samples, busiest first.
    public func sections() -> (all: Section, threads: [Section]) {
        var perThread: [Int32: TopWindow.ThreadCounts] = [:]
        var all = TopWindow.ThreadCounts(tid: 0, name: "all threads")
        for window in windows {
            for thread in window.threads {
                var merged = perThread[thread.tid] ?? TopWindow.ThreadCounts(tid: thread.tid, name: thread.name)
                merged.name = thread.name
                SlidingWindowCounts.merge(thread, into: &merged)
                SlidingWindowCounts.merge(thread, into: &all)
                perThread[thread.tid] = merged
            }
        }
        let threads = perThread.values.filter { $0.samples > 0 }
            .sorted { ($0.samples, -$0.tid) > ($1.samples, -$1.tid) }
            .map { SlidingWindowCounts.section($0, tid: $0.tid) }
        return (SlidingWindowCounts.section(all, tid: nil), threads)
    }

    private static func merge(_ counts: TopWindow.ThreadCounts, into sum: inout TopWindow.ThreadCounts) {
        sum.samples += counts.samples
        sum.selfSamples.merge(counts.selfSamples, uniquingKeysWith: +)
        sum.totalSamples.merge(counts.totalSamples, uniquingKeysWith: +)
    }

    private static func section(_ counts: TopWindow.ThreadCounts, tid: Int32?) -> Section {
        let total = Double(max(counts.samples, 1))
        let rows = counts.totalSamples.map { label, totalSamples in
            let selfSamples = counts.selfSamples[label] ?? 0
            return Row(label: label, selfSamples: selfSamples, totalSamples: totalSamples,
                       selfShare: Double(selfSamples) / total, totalShare: Double(totalSamples) / total)
        }
        let bySelf = rows.filter { $0.selfSamples > 0 }
            .sorted { ($0.selfSamples, $0.totalSamples, $1.label) > ($1.selfSamples, $1.totalSamples, $0.label) }
        let byTotal = rows.sorted { ($0.totalSamples, $0.selfSamples, $1.label) > ($1.totalSamples, $1.selfSamples, $0.label) }
        return Section(tid: tid, name: counts.name, samples: counts.samples, bySelf: bySelf, byTotal: byTotal)
    }
}
