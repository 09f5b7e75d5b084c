/// A length of time given on the command line: `500ms`, `10s`, `2m`, `1h`, `1.5s`, or a
/// bare number of seconds.
public struct TimeSpan: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Parses the command-line form; returns nil for anything else, including negative,
    /// non-finite and unit-less garbage values.
    public init?(parsing text: String) {
        let units: [(suffix: String, scale: Double)] = [
            ("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3600),
        ]
        let trimmed = text.trimmingWhitespace().lowercased()
        var number = trimmed
        var scale = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = String(trimmed.dropLast(unit.suffix.count))
            scale = unit.scale
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        seconds = value * scale
    }

    public var milliseconds: Double { seconds * 1000 }
    public var microseconds: Int64 { Int64((seconds * 1_000_000).rounded()) }

    public var description: String {
        if seconds < 1 { return "\(formatDecimal(seconds * 1000))ms" }
        if seconds < 120 { return "\(formatDecimal(seconds))s" }
        return "\(formatDecimal(seconds / 60))m"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// Formats a number with at most `digits` decimals and no trailing zeros (`1.5`, `10`).
public func formatDecimal(_ value: Double, digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return String(rounded)
}
