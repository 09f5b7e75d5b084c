import Profiles

/// Names the kind of one CPU-profile sample from its frames. V8 gives a regular expression's
/// machine code a frame of its own (`RegExp: SOURCE`) only when the code was compiled while
/// the profiler ran; otherwise, as for the JSON builtins' own work, the time is the calling
/// function's, so the hottest source line of the JavaScript function is read: a line that
/// calls `JSON.parse` or matches a regular expression names the kind.
struct BlockKindClassifier {
    /// The text of a 1-based line of a script, when it can be read.
    let sourceLine: (_ url: String, _ line: Int) -> String?
    private var lineKinds: [LineKey: LoopBlockKind?] = [:]

    private struct LineKey: Hashable {
        let url: String
        let line: Int
    }

    init(sourceLine: @escaping (_ url: String, _ line: Int) -> String?) {
        self.sourceLine = sourceLine
    }

    /// The kind of a sample whose frames are `stack` (innermost first); `hotLine` is the
    /// 1-based line where the innermost JavaScript function spends most of its time.
    mutating func kind(of stack: [CPUProfile.CallFrame], hotLine: Int?) -> LoopBlockKind {
        guard let innermost = stack.first else { return .native }
        switch innermost.functionName {
        case "(garbage collector)": return .gc
        case "(program)", "(root)": return .native
        default: break
        }
        if innermost.url.isEmpty && innermost.functionName.hasPrefix("RegExp: ") { return .regexp }
        if stack.contains(where: { Self.isNodeModule($0.url, "crypto") }) { return .crypto }
        if stack.contains(where: { Self.isNodeModule($0.url, "fs") && $0.functionName.hasSuffix("Sync") }) { return .syncFS }
        if innermost.url.isEmpty {
            if innermost.functionName == "parse" || innermost.functionName == "stringify" { return .json }
            return .native
        }
        if let hotLine, let kind = lineKind(url: innermost.url, line: hotLine) { return kind }
        return .js
    }

    /// `node:NAME`, `node:internal/NAME...` (the module and its internals).
    static func isNodeModule(_ url: String, _ name: String) -> Bool {
        url == "node:\(name)" || url.hasPrefix("node:internal/\(name)/") || url == "node:internal/\(name)"
    }

    private mutating func lineKind(url: String, line: Int) -> LoopBlockKind? {
        let key = LineKey(url: url, line: line)
        if let known = lineKinds[key] { return known }
        let kind = sourceLine(url, line).flatMap(LoopBlockKind.classify(sourceLine:))
        lineKinds[key] = kind
        return kind
    }
}

extension LoopBlockKind {
    /// The kind a line of JavaScript names: JSON.parse/stringify, or a regular-expression match.
    public static func classify(sourceLine text: String) -> LoopBlockKind? {
        if text.contains("JSON.parse") || text.contains("JSON.stringify") { return .json }
        let regexpCalls = [".test(", ".exec(", ".match(", ".matchAll(", ".search(", "new RegExp", "RegExp("]
        if regexpCalls.contains(where: text.contains) { return .regexp }
        if (text.contains(".replace(/") || text.contains(".replaceAll(/") || text.contains(".split(/")) { return .regexp }
        return nil
    }
}
