import DiagSupport

/// What `diag loop` found over its window: the blocks, the loop's lag and utilization, and
/// the threadpool's activity. Encodes as the `--json` summary.
public struct LoopReport: Encodable, Sendable {
    public var pid: Int32
    public var windowMilliseconds: Double
    public var thresholdMilliseconds: Double
    public var blocks: [LoopBlock]
    public var lagMilliseconds: LoopLag.Percentiles
    /// The share of the window the loop was not idle, from the profile.
    public var utilization: Double
    /// Nil when native sampling was not possible; `threadpoolNote` says why.
    public var threadpool: ThreadpoolActivity?
    public var threadpoolNote: String?
    /// The Trace Event file written with -o, if any.
    public var output: String?
    public var notes: [String]

    public init(pid: Int32, windowMilliseconds: Double, thresholdMilliseconds: Double, blocks: [LoopBlock], lag: LoopLag,
                utilization: Double, threadpool: ThreadpoolActivity?, threadpoolNote: String?, output: String?, notes: [String]) {
        self.pid = pid
        self.windowMilliseconds = windowMilliseconds
        self.thresholdMilliseconds = thresholdMilliseconds
        self.blocks = blocks
        lagMilliseconds = lag.lagMilliseconds
        self.utilization = utilization
        self.threadpool = threadpool
        self.threadpoolNote = threadpoolNote
        self.output = output
        self.notes = notes
    }

    /// The blocks of one function and kind.
    public struct Culprit: Sendable, Equatable {
        public var function: String
        public var url: String
        public var line: Int?
        public var kind: LoopBlockKind
        public var count: Int
        public var totalMilliseconds: Double
        public var maxMilliseconds: Double
    }

    /// The blocks grouped by function and kind, largest total first.
    public var culprits: [Culprit] {
        var groups: [String: Culprit] = [:]
        var order: [String] = []
        for block in blocks {
            let key = "\(block.function)\u{0}\(block.url)\u{0}\(block.line ?? 0)\u{0}\(block.kind.rawValue)"
            var culprit = groups[key] ?? Culprit(function: block.function, url: block.url, line: block.line, kind: block.kind,
                                                 count: 0, totalMilliseconds: 0, maxMilliseconds: 0)
            if culprit.count == 0 { order.append(key) }
            culprit.count += 1
            culprit.totalMilliseconds += block.durationMilliseconds
            culprit.maxMilliseconds = max(culprit.maxMilliseconds, block.durationMilliseconds)
            groups[key] = culprit
        }
        return order.compactMap { groups[$0] }.sorted { $0.totalMilliseconds > $1.totalMilliseconds }
    }

    /// The text summary: the culprits table, the lag line and the threadpool line.
    public func renderText() -> String {
        let seconds = formatDecimal(windowMilliseconds / 1000)
        let threshold = formatDecimal(thresholdMilliseconds)
        var text: String
        if blocks.isEmpty {
            text = "No event-loop blocks of \(threshold) ms or more in \(seconds) s (process \(pid)).\n"
        } else {
            let total = blocks.reduce(0) { $0 + $1.durationMilliseconds }
            text = "\(blocks.count) event-loop block\(blocks.count == 1 ? "" : "s") of \(threshold) ms or more in \(seconds) s "
                + "(process \(pid)), \(formatDecimal(total)) ms blocked in all:\n\n"
            var table = TextTable(["function", "location", "kind", "count", "total ms", "max ms"],
                                  alignments: [.left, .left, .left, .right, .right, .right])
            for culprit in culprits {
                table.add([culprit.function, Self.location(url: culprit.url, line: culprit.line), culprit.kind.rawValue,
                           String(culprit.count), formatDecimal(culprit.totalMilliseconds), formatDecimal(culprit.maxMilliseconds)])
            }
            text += table.render(indent: "  ")
        }
        text += "\nLag: p50 \(formatDecimal(lagMilliseconds.p50)) ms, p99 \(formatDecimal(lagMilliseconds.p99)) ms, "
            + "max \(formatDecimal(lagMilliseconds.max)) ms; event-loop utilization \(formatPercent(utilization))\n"
        text += "Threadpool: " + threadpoolLine + "\n"
        if let output { text += "Wrote \(output) (each block a slice on the main thread; open it in DevTools' Performance panel)\n" }
        return text
    }

    private var threadpoolLine: String {
        guard let pool = threadpool else { return "not sampled (\(threadpoolNote ?? "native sampling was not possible"))" }
        guard pool.threads > 0 else { return "no libuv worker threads found (the pool starts with its first job)" }
        var line = "\(pool.threads) worker thread\(pool.threads == 1 ? "" : "s"), busy \(formatPercent(pool.busyFraction))"
        if let queue = pool.queueLength {
            line += ", \(formatDecimal(queue.average)) request\(queue.average == 1 ? "" : "s") queued on average (max \(queue.max))"
        }
        if pool.saturated { line += ", saturated (work waits in the queue longer than it runs)" }
        if !pool.top.isEmpty {
            line += "; running " + pool.top.map { "\($0.function) \(formatPercent($0.share))" }.joined(separator: ", ")
        }
        return line
    }

    /// `path:line` for a script URL (file:// dropped).
    static func location(url: String, line: Int?) -> String {
        let path = url.hasPrefix("file://") ? String(url.dropFirst(7)) : url
        guard !path.isEmpty else { return "(native)" }
        return line.map { "\(path):\($0)" } ?? path
    }
}
