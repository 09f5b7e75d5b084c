import Profiles

/// What libuv's threadpool did over the window, from native stack samples of every thread
/// (idle ones included). Node 20 names all its threads "node", so the pool's workers are
/// found by their stacks: libuv's `worker` function (threadpool.c) at the bottom. A sample
/// whose worker is in `uv_cond_wait` is parked (no work queued); any other is busy, and is
/// charged to the work it runs: the first frame above libuv's and Node's dispatch frames
/// (PBKDF2, zlib, an fs call).
public struct ThreadpoolActivity: Codable, Sendable, Equatable {
    /// One kind of work and its share of the busy samples.
    public struct Work: Codable, Sendable, Equatable {
        public var function: String
        public var share: Double

        public init(function: String, share: Double) {
            self.function = function
            self.share = share
        }
    }

    /// Worker threads found.
    public var threads: Int
    /// Busy samples over all samples of the workers.
    public var busyFraction: Double
    /// The work the busy samples ran, largest share first.
    public var top: [Work]
    /// Work waits in the queue longer than it runs, so async fs, dns, crypto and zlib calls
    /// queue up. From libuv's queue when it could be read (`queueLength`): by Little's law the
    /// mean wait exceeds the mean run exactly when more requests wait than run on average.
    /// Otherwise estimated: every worker busy nearly all the window (`saturationFraction`).
    public var saturated: Bool
    /// Samples of the workers.
    public var samples: Int
    /// Requests waiting in libuv's queue over the window; nil when it could not be read.
    public var queueLength: QueueLength?

    /// The length of libuv's work queue, read about every `ThreadpoolSampling.queueInterval`.
    public struct QueueLength: Codable, Sendable, Equatable {
        public var average: Double
        public var max: Int
        /// Workers running a request, on average over the same readings.
        public var averageBusyThreads: Double

        public init(average: Double, max: Int, averageBusyThreads: Double) {
            self.average = average
            self.max = max
            self.averageBusyThreads = averageBusyThreads
        }

        /// More requests waiting than running on average: each waits longer than it runs.
        public var meansSaturation: Bool { averageBusyThreads > 0 && average > averageBusyThreads }
    }

    /// This activity judged by libuv's queue instead of the busy share.
    public func withQueue(_ queue: QueueLength) -> ThreadpoolActivity {
        var copy = self
        copy.queueLength = queue
        copy.saturated = threads > 0 && queue.meansSaturation
        return copy
    }

    /// The busy fraction from which the pool counts as saturated.
    public static let saturationFraction = 0.9
    /// Kinds of work listed in `top`.
    public static let topCount = 5

    public init(threads: Int, busyFraction: Double, top: [Work], saturated: Bool, samples: Int) {
        self.threads = threads
        self.busyFraction = busyFraction
        self.top = top
        self.saturated = saturated
        self.samples = samples
    }

    /// The pool's activity in a native profile of the whole process.
    public init(profile: SampledProfile) {
        var workers = 0
        var busy = 0
        var parked = 0
        var work: [String: Int] = [:]
        for thread in profile.threads {
            var isWorker = false
            for sample in thread.samples {
                let names = profile.stacks[sample.stack].map { profile.functions[profile.locations[$0].function] }
                guard let bottom = names.firstIndex(where: Self.isWorkerLoop) else { continue }
                isWorker = true
                let above = names[(bottom + 1)...]
                if let next = above.first, next.name.hasPrefix("uv_cond_wait") || next.name.hasPrefix("pthread_cond_wait") {
                    parked += 1
                } else {
                    busy += 1
                    work[Self.workName(above.map(\.name)), default: 0] += 1
                }
            }
            if isWorker { workers += 1 }
        }
        let total = busy + parked
        let fraction = total > 0 ? Double(busy) / Double(total) : 0
        let ranked = work.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        self.init(threads: workers, busyFraction: fraction,
                  top: ranked.prefix(Self.topCount).map { Work(function: $0.key, share: Double($0.value) / Double(max(busy, 1))) },
                  saturated: workers > 0 && total > 0 && fraction >= Self.saturationFraction, samples: total)
    }

    /// libuv's worker loop, `worker` in src/threadpool.c.
    static func isWorkerLoop(_ function: SampledProfile.Function) -> Bool {
        function.name == "worker" && (function.url.hasSuffix("threadpool.c") || function.url.isEmpty || function.url == function.module)
    }

    /// Frames of libuv's and Node's that only hand work over to the function that does it.
    static let dispatchFrames = ["uv__queue_work", "uv__fs_work", "uv__getaddrinfo_work", "uv__getnameinfo_work",
                                 "uv__random_work", "node::ThreadPoolWork::", "non-virtual thunk to ", "{lambda"]

    /// The name of the work in a busy stack (frames above `worker`, outermost first).
    static func workName(_ frames: [String]) -> String {
        let work = frames.first { frame in
            !dispatchFrames.contains { frame.hasPrefix($0) || frame.contains("::DoThreadPoolWork") }
        } ?? frames.last ?? "(unknown)"
        return shortName(work)
    }

    /// A C++ name without its parameter list.
    static func shortName(_ name: String) -> String {
        guard let open = name.firstIndex(of: "("), open != name.startIndex else { return name }
        return String(name[..<open])
    }
}
