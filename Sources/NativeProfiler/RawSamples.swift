/// Stacks as captured, before symbolization: instruction addresses, innermost first, each
/// distinct stack stored once.
public struct RawSamples: Sendable {
    /// One sample of one thread.
    public struct Sample: Sendable {
        /// µs on CLOCK_MONOTONIC, when the thread was stopped.
        public var time: Int64
        public var stack: Int
        public var isIdle: Bool
    }

    /// The samples of one thread.
    public struct Thread: Sendable {
        public var tid: Int32
        public var name: String
        public var samples: [Sample] = []
    }

    /// Distinct stacks, innermost address first.
    public private(set) var stacks: [[UInt64]] = []
    public private(set) var threads: [Thread] = []
    private var stackIndex: [[UInt64]: Int] = [:]
    private var threadIndex: [Int32: Int] = [:]

    public init() {}

    /// Records a sample of thread `tid` with the addresses `stack`.
    public mutating func add(tid: Int32, name: String, time: Int64, stack: ArraySlice<UInt64>, isIdle: Bool) {
        let key = Array(stack)
        let index: Int
        if let existing = stackIndex[key] {
            index = existing
        } else {
            index = stacks.count
            stacks.append(key)
            stackIndex[key] = index
        }
        let thread = threadSlot(tid: tid, name: name)
        threads[thread].samples.append(Sample(time: time, stack: index, isIdle: isIdle))
    }

    /// Makes sure thread `tid` is listed (also when it never got a sample) and keeps its latest name.
    @discardableResult
    public mutating func threadSlot(tid: Int32, name: String) -> Int {
        if let existing = threadIndex[tid] {
            if !name.isEmpty { threads[existing].name = name }
            return existing
        }
        threadIndex[tid] = threads.count
        threads.append(Thread(tid: tid, name: name))
        return threads.count - 1
    }
}
