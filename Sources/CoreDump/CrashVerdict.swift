/// The one-line answer to "why did it crash?", with a stable machine-readable kind.
public struct CrashVerdict: Sendable, Equatable {
    /// The classes of crash diag recognizes. Raw values are part of the JSON schema.
    public enum Kind: String, Sendable {
        case nullPointerDereference = "null-pointer-dereference"
        case stackOverflow = "stack-overflow"
        case assertionFailure = "assertion-failure"
        case heapCorruption = "heap-corruption"
        case stackSmashing = "stack-smashing"
        case abort = "abort"
        case uncaughtCppException = "uncaught-c++-exception"
        case killedBySignal = "killed-by-signal"
        case invalidMemoryAccess = "invalid-memory-access"
        case executeNonExecutable = "execute-non-executable"
        case generalProtection = "general-protection"
        case divideByZero = "divide-by-zero"
        case illegalInstruction = "illegal-instruction"
        case trap = "trap"
        case nodeUncaughtException = "node-uncaught-exception"
        case nodeOutOfMemory = "node-out-of-memory"
        case nodeFatalError = "node-fatal-error"
        case snapshot = "snapshot"
        case signal = "signal"
    }

    public var kind: Kind
    /// The sentence printed after `verdict:`.
    public var text: String
    /// glibc's abort message (assert text, malloc's complaint), when there was one.
    public var abortMessage: String?
    /// The function the crash is attributed to (the first frame outside libc's abort plumbing).
    public var function: String?
    /// For stack overflows: the function that repeats and how often in the unwound frames.
    public var recursion: (function: String, count: Int)?

    public static func == (lhs: CrashVerdict, rhs: CrashVerdict) -> Bool {
        lhs.kind == rhs.kind && lhs.text == rhs.text && lhs.abortMessage == rhs.abortMessage && lhs.function == rhs.function
    }
}
