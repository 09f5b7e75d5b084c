/// A JavaScript function as a mixed native+JavaScript profile shows it.
public struct JavaScriptFunction: Hashable, Sendable {
    public var name: String
    /// The script's URL or path ("" when V8 keeps none, as for eval code).
    public var scriptURL: String
    /// The 1-based line where the function starts, when known.
    public var line: Int?

    public init(name: String, scriptURL: String, line: Int?) {
        self.name = name
        self.scriptURL = scriptURL
        self.line = line
    }

    /// The frame kept for a JavaScript frame whose function could not be read.
    public static let unknown = JavaScriptFunction(name: "(JS unknown)", scriptURL: "", line: nil)
}

/// What one frame of V8 code on the frame-pointer chain turned out to be.
public enum JavaScriptFrameKind: Sendable, Equatable {
    /// A typed frame (entry, exit, stub, internal, construct): not a JavaScript function's
    /// own frame; it keeps its native name.
    case typed
    case named(JavaScriptFunction)
    /// A JavaScript frame whose function could not be read (moved by the GC, unexpected layout).
    case unnamed
}

/// V8's embedded builtins: linked into node's text, and possibly remapped by V8 next to its
/// JIT code, where the same code runs at another address.
public struct EmbeddedBuiltins: Sendable, Equatable {
    /// Where the blob is linked (an address symbols describe).
    public var linkedStart: UInt64
    /// Where V8 runs it; equal to `linkedStart` when it is not remapped.
    public var runningStart: UInt64
    public var size: UInt64

    public init(linkedStart: UInt64, runningStart: UInt64, size: UInt64) {
        self.linkedStart = linkedStart
        self.runningStart = runningStart
        self.size = size
    }

    /// True for an address in either copy of the blob.
    public func contains(_ address: UInt64) -> Bool {
        (address &- linkedStart) < size || (address &- runningStart) < size
    }

    /// The linked address of code running at `address` in the remapped copy, or `address`.
    public func linkedAddress(_ address: UInt64) -> UInt64 {
        runningStart != linkedStart && (address &- runningStart) < size ? linkedStart + (address - runningStart) : address
    }
}

/// Names the V8 frames of one live Node.js process from its heap, the way a postmortem
/// debugger names them in a core (see CoreDump's V8 readers), but while the process runs.
public protocol JavaScriptFrameNaming: AnyObject {
    /// Where V8's builtins run, when known.
    var embeddedBuiltins: EmbeddedBuiltins? { get }
    /// Classifies the V8 frame whose frame pointer is `framePointer`; `stackWord` reads a word
    /// of the thread's stack as it was when the sample was taken.
    func frame(at framePointer: UInt64, stackWord: (UInt64) -> UInt64?) -> JavaScriptFrameKind
}
