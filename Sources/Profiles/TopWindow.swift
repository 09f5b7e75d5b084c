/// One sampling window of `diag top`: per thread, how many samples it got and how many of
/// them had each function as the leaf (self) or anywhere on the stack (total, once per sample).
/// Functions are keyed by their display label, so native and JavaScript windows look alike.
public struct TopWindow: Sendable {
    /// The counts of one thread in one window.
    public struct ThreadCounts: Sendable {
        public var tid: Int32
        public var name: String
        public var samples = 0
        public var selfSamples: [String: Int] = [:]
        public var totalSamples: [String: Int] = [:]

        public init(tid: Int32, name: String) {
            self.tid = tid
            self.name = name
        }

        /// Counts one sample whose stack lists `labels` outermost first.
        public mutating func add(stack labels: [String]) {
            guard let leaf = labels.last else { return }
            samples += 1
            selfSamples[leaf, default: 0] += 1
            for label in Set(labels) { totalSamples[label, default: 0] += 1 }
        }
    }

    /// CLOCK_MONOTONIC seconds when the window ended.
    public var end: Double
    public var threads: [ThreadCounts]

    public init(end: Double, threads: [ThreadCounts]) {
        self.end = end
        self.threads = threads
    }
}

extension TopWindow {
    /// The window of a symbolized native capture (idle samples are left out).
    public init(end: Double, profile: SampledProfile) {
        let labels = profile.functions.map(TopWindow.label)
        var threads: [ThreadCounts] = []
        for thread in profile.threads {
            var counts = ThreadCounts(tid: thread.tid, name: thread.name)
            for sample in thread.samples where !sample.isIdle {
                counts.add(stack: profile.stacks[sample.stack].map { labels[profile.locations[$0].function] })
            }
            threads.append(counts)
        }
        self.init(end: end, threads: threads)
    }

    /// The window of a V8 profile of the main thread (`tid`): `(root)` and `(idle)` are left
    /// out, so shares are of the samples in which the thread was busy, as for native targets.
    public init(end: Double, profile: CPUProfile, tid: Int32, threadName: String) {
        var position: [Int: Int] = [:]
        for (index, node) in profile.nodes.enumerated() { position[node.id] = index }
        var parent = [Int?](repeating: nil, count: profile.nodes.count)
        for (index, node) in profile.nodes.enumerated() {
            for child in node.children ?? [] { if let at = position[child] { parent[at] = index } }
        }
        let labels = profile.nodes.map { node -> String in
            let frame = node.callFrame
            let name = frame.functionName.isEmpty ? "(anonymous)" : frame.functionName
            guard !frame.url.isEmpty else { return name }
            let file = frame.url.split(separator: "/").last.map(String.init) ?? frame.url
            return frame.lineNumber >= 0 ? "\(name) (\(file):\(frame.lineNumber + 1))" : "\(name) (\(file))"
        }
        var counts = ThreadCounts(tid: tid, name: threadName)
        for id in profile.samples {
            guard var at = position[id], labels[at] != "(idle)", labels[at] != "(root)" else { continue }
            var stack: [String] = []
            while let up = parent[at] {
                stack.append(labels[at])
                at = up
            }
            counts.add(stack: stack.reversed())
        }
        self.init(end: end, threads: [counts])
    }

    /// `name (file)` or `name (module)`: the source file's or module's base name.
    static func label(_ function: SampledProfile.Function) -> String {
        let place = function.url.isEmpty ? (function.module ?? "") : function.url
        guard !place.isEmpty else { return function.name }
        let base = place.split(separator: "/").last.map(String.init) ?? place
        return "\(function.name) (\(base))"
    }
}
