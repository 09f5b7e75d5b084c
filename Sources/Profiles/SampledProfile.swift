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

    /// One instruction address of a native profile: the locations it resolved to (outermost
    /// first: the function containing it, then the calls inlined into it) and its module.
    public struct Address: Sendable, Equatable {
        public var address: UInt64
        public var locations: [Int]
        /// An index into `modules`, or nil for code outside every module (JIT code).
        public var module: Int?

        public init(address: UInt64, locations: [Int], module: Int? = nil) {
            self.address = address
            self.locations = locations
            self.module = module
        }
    }

    /// A mapped executable or library of a native profile.
    public struct Module: Sendable, Equatable {
        public var path: String
        /// The address range the module is mapped at, and the file offset of its first mapping.
        public var start: UInt64
        public var end: UInt64
        public var fileOffset: UInt64
        /// The GNU build-id as lowercase hex, when the module has one.
        public var buildID: String?
        public var hasDebugInfo: Bool

        public init(path: String, start: UInt64, end: UInt64, fileOffset: UInt64 = 0, buildID: String? = nil,
                    hasDebugInfo: Bool = false) {
            self.path = path
            self.start = start
            self.end = end
            self.fileOffset = fileOffset
            self.buildID = buildID
            self.hasDebugInfo = hasDebugInfo
        }
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
    /// Native profiles only (else empty): the addresses the stacks were sampled at, each
    /// stack as address indices (outermost first, parallel to `stacks`), and their modules.
    public var addresses: [Address] = []
    public var addressStacks: [[Int]] = []
    public var modules: [Module] = []

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
