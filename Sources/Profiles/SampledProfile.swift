/// Stack samples of one or more threads, before they are written in any format: the
/// common input of the `.cpuprofile`, trace, collapsed and speedscope exporters. Stacks are
/// stored once and referenced by index, so that a long capture stays small.
public struct SampledProfile: Sendable {
    /// A function as profiles show it: name, where it is defined and which module holds it.
    public struct Function: Hashable, Sendable {
        public var name: String
        /// The source file when known, else the module path (may be empty).
        public var url: String
        /// The 1-based line where the function starts, when known.
        public var line: Int?
        /// The module (executable or library) path, when known.
        public var module: String?

        public init(name: String, url: String = "", line: Int? = nil, module: String? = nil) {
            self.name = name
            self.url = url
            self.line = line
            self.module = module
        }
    }

    /// One frame of a stack: a function, the 1-based source line reached in it (when known)
    /// and whether the compiler inlined it into its caller.
    public struct Location: Hashable, Sendable {
        public var function: Int
        public var line: Int?
        public var isInline: Bool

        public init(function: Int, line: Int? = nil, isInline: Bool = false) {
            self.function = function
            self.line = line
            self.isInline = isInline
        }
    }

    /// One sample: when (µs, CLOCK_MONOTONIC), which stack, and whether the thread was off CPU.
    public struct Sample: Sendable, Equatable {
        public var time: Int64
        public var stack: Int
        public var isIdle: Bool

        public init(time: Int64, stack: Int, isIdle: Bool = false) {
            self.time = time
            self.stack = stack
            self.isIdle = isIdle
        }
    }

    /// The samples of one thread, in time order.
    public struct Thread: Sendable {
        public var tid: Int32
        public var name: String
        public var samples: [Sample]

        public init(tid: Int32, name: String, samples: [Sample] = []) {
            self.tid = tid
            self.name = name
            self.samples = samples
        }

        /// `name (tid)`, the label of the thread's node and track.
        public var label: String { "\(name) (\(tid))" }
    }

    public var pid: Int32
    public var processName: String
    public var functions: [Function]
    public var locations: [Location]
    /// Stacks as location indices, outermost (root) first.
    public var stacks: [[Int]]
    public var threads: [Thread]
    /// Capture start and end, µs on CLOCK_MONOTONIC.
    public var startTime: Int64
    public var endTime: Int64
    /// The nominal time between two samples of a thread, µs.
    public var sampleInterval: Int64

    public init(pid: Int32, processName: String, functions: [Function], locations: [Location], stacks: [[Int]],
                threads: [Thread], startTime: Int64, endTime: Int64, sampleInterval: Int64) {
        self.pid = pid
        self.processName = processName
        self.functions = functions
        self.locations = locations
        self.stacks = stacks
        self.threads = threads
        self.startTime = startTime
        self.endTime = endTime
        self.sampleInterval = sampleInterval
    }

    /// The name given to the pseudo-function that marks samples of a thread that was not on a CPU.
    public static let idleFunctionName = "(idle)"
}
