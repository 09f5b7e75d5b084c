/// One period during which the main thread did not return to the event loop for at least
/// the threshold: when it began, how long it lasted, what held it and of which kind.
public struct LoopBlock: Codable, Sendable, Equatable {
    /// A frame of the block's stack: a JavaScript function (or a native builtin it called),
    /// its script and the 1-based line where the function starts (nil when unknown).
    public struct Frame: Codable, Sendable, Hashable {
        public var function: String
        public var url: String
        public var line: Int?

        public init(function: String, url: String, line: Int?) {
            self.function = function
            self.url = url
            self.line = line
        }
    }

    /// The function that held most of the block's samples.
    public var function: String
    public var url: String
    public var line: Int?
    public var kind: LoopBlockKind
    public var durationMilliseconds: Double
    /// Since the start of the observation window.
    public var startMilliseconds: Double
    /// Innermost frame first.
    public var stack: [Frame]

    public init(function: String, url: String, line: Int?, kind: LoopBlockKind, durationMilliseconds: Double,
                startMilliseconds: Double, stack: [Frame]) {
        self.function = function
        self.url = url
        self.line = line
        self.kind = kind
        self.durationMilliseconds = durationMilliseconds
        self.startMilliseconds = startMilliseconds
        self.stack = stack
    }
}

/// What kind of work blocked the loop.
public enum LoopBlockKind: String, Codable, Sendable, CaseIterable {
    /// A regular expression match (catastrophic backtracking, a huge input).
    case regexp
    /// JSON.parse or JSON.stringify of a large value.
    case json
    /// A synchronous crypto call (pbkdf2Sync, scryptSync, a big hash).
    case crypto
    /// A synchronous file-system call (readFileSync, ...).
    case syncFS = "sync-fs"
    /// V8's garbage collector.
    case gc
    /// JavaScript computing.
    case js
    /// Native code outside JavaScript (Node's C++, an addon).
    case native
}
