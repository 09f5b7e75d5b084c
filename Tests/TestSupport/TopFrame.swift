import Foundation

/// The lines of the last `diag top` frame in `text` (plain frames or a screen capture), from
/// its title line on; empty when there is none.
public func lastTopFrame(in text: String) -> ArraySlice<Substring> {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.lastIndex(where: { $0.hasPrefix("diag top  process") }) else { return [] }
    return lines[start...]
}

/// The second line of a `diag top` frame: "target CPU 104.2%   512 samples in the last 5 s   COST".
public struct TopHeader: Sendable, CustomStringConvertible {
    /// The target's CPU use (100 is one CPU), nil when diag showed "-".
    public var cpuPercent: Double?
    /// The samples of the last 5 s that the tables count.
    public var samples: Int
    /// diag's own cost, as shown after the sample count.
    public var cost: String

    /// The header of the last frame in `text`.
    public init?(_ text: String) {
        let pattern = #/^target CPU ([0-9.]+%|-)   ([0-9]+) samples in the last 5 s   (.*)$/#
        guard let line = lastTopFrame(in: text).dropFirst().first, let match = line.wholeMatch(of: pattern),
              let samples = Int(match.2) else { return nil }
        cpuPercent = Double(match.1.dropLast())
        self.samples = samples
        cost = String(match.3)
    }

    public var description: String { "CPU \(cpuPercent.map { "\($0)%" } ?? "-"), \(samples) samples, \(cost)" }
}

/// One row of a `diag top` table: the first two columns' shares (0...1), the first count, the label.
public struct TopRow: Sendable {
    public let firstShare: Double
    public let secondShare: Double
    public let firstSamples: Int
    public let label: String

    public init?(_ line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
        guard fields.count == 5, fields[0].hasSuffix("%"), let first = Double(fields[0].dropLast()),
              let second = Double(fields[1].dropLast()), let samples = Int(fields[2]) else { return nil }
        firstShare = first / 100
        secondShare = second / 100
        firstSamples = samples
        label = fields[4].trimmingCharacters(in: .whitespaces)
    }
}

/// The rows of the section headed `heading` (or the first table) in the last frame of `text`.
public func topRows(in text: String, section heading: String? = nil) -> [TopRow] {
    var rest = lastTopFrame(in: text)
    if let heading {
        guard let at = rest.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        rest = rest[(at + 1)...]
    }
    guard let header = rest.firstIndex(where: { $0.contains("FUNCTION (by") }) else { return [] }
    return rest[(header + 1)...].prefix { TopRow($0) != nil }.compactMap { TopRow($0) }
}
