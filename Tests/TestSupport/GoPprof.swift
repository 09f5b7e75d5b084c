import Foundation

/// Reads pprof files with Debian's `go tool pprof` (golang-go), as users do.
public enum GoPprof {
    /// One row of `go tool pprof -top`: a function's flat (self) and cumulative shares, 0...1.
    /// pprof's " (inline)" mark of inlined calls is taken off the name into `isInline`.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var isInline: Bool
        public var flatShare: Double
        public var cumulativeShare: Double
    }

    public static var isAvailable: Bool { Command.exists("go") }

    /// `go tool pprof -top` (or with `-lines`: one row per source line), every node, by flat share.
    public static func top(_ path: String, lines: Bool = false, extraArguments: [String] = []) throws -> [Row] {
        let text = try run(["-top", "-nodecount=100000"] + (lines ? ["-lines"] : []) + extraArguments + [path])
        // "      flat  flat%   sum%        cum   cum%" then rows "20ms 40.00% 40.00% 30ms 60.00%  name".
        var rows: [Row] = []
        var inTable = false
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            if fields.first == "flat" { inTable = true; continue }
            guard inTable, fields.count == 6, let flat = percent(fields[1]), let cumulative = percent(fields[4]) else { continue }
            var name = fields[5].trimmingCharacters(in: .whitespaces)
            let isInline = name.hasSuffix(" (inline)")
            if isInline { name.removeLast(" (inline)".count) }
            rows.append(Row(name: name, isInline: isInline, flatShare: flat, cumulativeShare: cumulative))
        }
        guard inTable else { throw FixtureError("go tool pprof -top printed no table:\n\(text)") }
        return rows
    }

    /// `go tool pprof -raw`: the profile's samples, locations and mappings as text.
    public static func raw(_ path: String) throws -> String {
        try run(["-raw", path])
    }

    private static func run(_ arguments: [String]) throws -> String {
        let home = try FixturePaths.temporaryDirectory("diag-gopprof")
        // -symbolize=none: diag's profiles are symbolized; pprof must not look for binaries.
        let result = try Command.run("go", ["tool", "pprof", "-symbolize=none"] + arguments,
                                     environment: ["HOME": home, "GOCACHE": "\(home)/cache", "PPROF_TMPDIR": home], timeout: 120)
        guard result.status == 0 else {
            throw FixtureError("go tool pprof \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.standardError)")
        }
        return result.standardOutput
    }

    private static func percent(_ field: Substring) -> Double? {
        guard field.hasSuffix("%"), let value = Double(field.dropLast()) else { return nil }
        return value / 100
    }
}
