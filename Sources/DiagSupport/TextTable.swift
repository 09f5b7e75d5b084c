/// A plain-text table with a header row; numeric-looking columns are right-aligned.
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public var headers: [String]
    public var alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    public init(_ headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines joined with newlines, ending in a newline; the last column is not padded.
    public func render(indent: String = "") -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = indent
            for (column, cell) in cells.enumerated() where column < widths.count {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let isLast = column == cells.count - 1
                if alignments[column] == .right {
                    text += padding + cell
                } else {
                    text += isLast ? cell : cell + padding
                }
                if !isLast { text += "  " }
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// A share as a percentage with one decimal: `42.5%`.
public func formatPercent(_ fraction: Double) -> String {
    "\(formatDecimal(fraction * 100))%"
}
