/// Every thread's stack at one moment, as `diag stack` reports it.
public struct StackDump: Codable, Sendable {
    /// One frame; an inlined call is a frame of its own, marked `inline`.
    public struct Frame: Codable, Sendable, Hashable {
        public var function: String
        public var file: String?
        public var line: Int?
        public var module: String?
        /// The offset in the module as hex (`0x1a2b`), when the address is in one.
        public var offset: String?
        /// The instruction address as hex.
        public var address: String
        public var inline: Bool

        public init(function: String, file: String?, line: Int?, module: String?, offset: String?, address: String,
                    inline: Bool) {
            self.function = function
            self.file = file
            self.line = line
            self.module = module
            self.offset = offset
            self.address = address
            self.inline = inline
        }

        /// `function (file:line)` or `function`.
        public var label: String {
            guard let file else { return function }
            let base = file.split(separator: "/").last.map(String.init) ?? file
            return line.map { "\(function) (\(base):\($0))" } ?? "\(function) (\(base))"
        }

        /// `module+0xOFFSET`, or the address.
        public var location: String {
            guard let module, let offset else { return address }
            return (module.split(separator: "/").last.map(String.init) ?? module) + "+" + offset
        }
    }

    /// One thread: id, name, scheduler state and frames, innermost first.
    public struct Thread: Codable, Sendable {
        public var tid: Int32
        public var name: String
        /// The state letter and its meaning, e.g. `S (sleeping)`.
        public var state: String
        public var frames: [Frame]
        /// Why the thread has no frames, when it has none.
        public var note: String?

        public init(tid: Int32, name: String, state: String, frames: [Frame], note: String?) {
            self.tid = tid
            self.name = name
            self.state = state
            self.frames = frames
            self.note = note
        }
    }

    /// Threads whose stacks are the same (same functions and lines), with how many.
    public struct Group: Codable, Sendable {
        public var count: Int
        public var tids: [Int32]
        public var frames: [Frame]
    }

    public var pid: Int32
    public var process: String
    public var threads: [Thread]
    public var groups: [Group]
    /// The modules the stacks pass through, with build-ids.
    public var modules: [ModuleSummary]

    public init(pid: Int32, process: String, threads: [Thread], modules: [ModuleSummary] = []) {
        self.pid = pid
        self.process = process
        self.threads = threads
        self.modules = modules
        var groups: [Group] = []
        var index: [[GroupKey]: Int] = [:]
        for thread in threads {
            let key = thread.frames.map { GroupKey(function: $0.function, file: $0.file, line: $0.line, module: $0.module) }
            if let existing = index[key] {
                groups[existing].count += 1
                groups[existing].tids.append(thread.tid)
            } else {
                index[key] = groups.count
                groups.append(Group(count: 1, tids: [thread.tid], frames: thread.frames))
            }
        }
        self.groups = groups
    }

    private struct GroupKey: Hashable {
        let function: String
        let file: String?
        let line: Int?
        let module: String?
    }

    /// The state letter of /proc/PID/stat with its meaning.
    static func describe(state: Character) -> String {
        let meanings: [Character: String] = [
            "R": "running", "S": "sleeping", "D": "uninterruptible wait", "T": "stopped", "t": "traced",
            "Z": "zombie", "X": "dead", "I": "idle",
        ]
        return "\(state) (\(meanings[state] ?? "unknown"))"
    }
}
