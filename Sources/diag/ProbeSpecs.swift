import Foundation
import ArgumentParser

/// `--fn MODULE:EXPORT`: an exported function to wrap.
struct FunctionProbeSpec: ExpressibleByArgument, Equatable {
    var module: String
    var export: String
    /// The probe's name in the output: the text given on the command line.
    var name: String { "\(module):\(export)" }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":") else { return nil }
        module = String(argument[..<colon])
        export = String(argument[argument.index(after: colon)...])
        guard !module.isEmpty, !export.isEmpty, export.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }) else { return nil }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// `--log FILE:LINE:EXPR`: a logpoint on line LINE (1-based) of a script whose path ends with FILE.
struct LogpointSpec: ExpressibleByArgument, Equatable {
    var file: String
    var line: Int
    var expression: String
    /// The probe's name in the output: `FILE:LINE`.
    var name: String { "\(file):\(line)" }

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let line = Int(parts[1]), line >= 1,
              !parts[2].trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        file = String(parts[0])
        self.line = line
        expression = String(parts[2])
    }

    /// The `urlRegex` of Debugger.setBreakpointByUrl: a script URL or path ending with FILE at a path boundary.
    var urlRegex: String {
        let special = Set("\\^$.|?*+()[]{}/")
        let escaped = file.map { special.contains($0) ? "\\\($0)" : String($0) }.joined()
        return (file.hasPrefix("/") ? "(^|file://)" : "(^|/)") + escaped + "$"
    }
}
