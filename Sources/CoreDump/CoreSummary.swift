import Symbols

/// Everything `diag core` reports about a core file; rendered as text
/// (`CoreSummaryText`) or as JSON (`CoreSummaryJSON`, schema `diag.core/1`).
public struct CoreSummary: Sendable {
    /// Who wrote the core.
    public enum Producer: String, Sendable {
        /// The kernel, when the process died.
        case kernel
        /// `diag gcore`, from a live process.
        case diag
        /// gdb's gcore (cores with section headers).
        case gdb
    }

    public struct FileFacts: Sendable {
        public var path: String
        public var size: UInt64
        /// The size the headers announce.
        public var expectedSize: UInt64
        public var isTruncated: Bool
        public var producer: Producer
    }

    public struct ProcessFacts: Sendable {
        public var pid: Int32?
        public var parentPID: Int32?
        public var uid: UInt32?
        public var gid: UInt32?
        public var userName: String?
        /// The command name (comm).
        public var name: String?
        /// AT_EXECFN, else the first file mapping, else the command name.
        public var executable: String?
        /// The argument vector: recovered from the core's stack when possible, otherwise
        /// the 80-character process-info copy split on spaces.
        public var arguments: [String]
        /// "stack" or "psinfo": where `arguments` came from (psinfo may be cut at 80 bytes).
        public var argumentsSource: String
        public var threadCount: Int
        public var mappedBytes: UInt64
        public var savedBytes: UInt64
    }

    public struct SignalFacts: Sendable {
        public var number: Int32
        public var name: String
        public var code: Int32
        public var codeName: String
        public var codeMeaning: String
        public var faultAddress: UInt64?
        public var senderPID: Int32?
        public var senderUID: UInt32?
    }

    /// One frame as reported: native (libdwfl) or JavaScript (V8 postmortem data).
    public struct Frame: Sendable, Equatable {
        public var pc: UInt64
        public var function: String?
        public var file: String?
        public var line: Int?
        public var module: String?
        public var moduleOffset: UInt64?
        public var isInline: Bool
        public var isJavaScript: Bool

        public init(pc: UInt64, function: String?, file: String?, line: Int?, module: String?,
                    moduleOffset: UInt64?, isInline: Bool, isJavaScript: Bool) {
            self.pc = pc
            self.function = function
            self.file = file
            self.line = line
            self.module = module
            self.moduleOffset = moduleOffset
            self.isInline = isInline
            self.isJavaScript = isJavaScript
        }

        /// The function, else `module+0xOFFSET`, else the address.
        public var displayName: String {
            SymbolicFrame.displayName(function: function, module: module, moduleOffset: moduleOffset, address: pc)
        }

        /// `file:line` with the file's base name, when known.
        public var shortLocation: String? {
            guard let file else { return nil }
            return line.map { "\(file.baseName):\($0)" } ?? file.baseName
        }
    }

    public struct Thread: Sendable {
        public var tid: Int32
        public var isCrashing: Bool
        public var frames: [Frame]
        /// True when the unwind stopped at the frame limit.
        public var isCutOff: Bool
        /// libdwfl's message when the unwind stopped on an error before the end.
        public var unwindError: String?
        /// The JavaScript frames of this thread (Node cores, crashing thread only), innermost first.
        public var javaScriptFrames: [Frame]

        /// The function names of the native frames, used to group identical stacks.
        public var stackKey: [String] { frames.map(\.displayName) }
    }

    public struct Module: Sendable {
        public var path: String
        public var start: UInt64
        public var end: UInt64
        public var buildID: String?
        public var elfFile: String?
        public var debugFile: String?
        public var hasSymbolTable: Bool
        public var hasDebugInfo: Bool
        public var isDeleted: Bool
        /// True when the file the core names (or --exe) cannot be read on this machine.
        public var isFileMissing: Bool
        /// False when the file on disk has another build-id than the one in the core's memory;
        /// nil when either is unknown.
        public var buildIDMatches: Bool?
    }

    public struct NodeFacts: Sendable {
        /// "11.3.244.8", from V8's Version statics in the core.
        public var v8Version: String?
        /// "complete", "partial" or "none": how much of the JavaScript stack was decoded.
        public var javaScriptFrames: String
        public var note: String?
    }

    public var file: FileFacts
    public var process: ProcessFacts
    public var signal: SignalFacts?
    public var verdict: CrashVerdict
    public var crashingTID: Int32?
    /// The crashing thread's registers, in NT_PRSTATUS order.
    public var registers: [(name: String, value: UInt64)]
    /// All threads, the crashing one first.
    public var threads: [Thread]
    public var modules: [Module]
    public var node: NodeFacts?
    public var warnings: [String]

    /// The non-crashing threads grouped by identical stacks, largest group first.
    public var threadGroups: [[Thread]] {
        var groups: [[String]: [Thread]] = [:]
        var order: [[String]] = []
        for thread in threads where !thread.isCrashing {
            let key = thread.stackKey
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(thread)
        }
        return order.map { groups[$0]! }.enumerated()
            .sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }
            .map(\.element)
    }
}

/// `0x1f`: the form diag prints addresses in.
public func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

extension String {
    /// The last path component.
    var baseName: String { split(separator: "/").last.map(String.init) ?? self }
}
