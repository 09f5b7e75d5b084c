/// A byte count given on the command line (`50MB`, `1.5GiB`, `4096`) or shown to the user.
/// Decimal units (kB = 1000 B) match what Chrome DevTools displays; binary units
/// (KiB, MiB, GiB) are accepted too.
public struct ByteSize: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses `N`, `NB`, `NkB`/`NKB`, `NMB`, `NGB`, `NTB` and `NKiB`..`NTiB` (case-insensitive).
    public init?(parsing text: String) {
        let units: [(suffix: String, scale: Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776),
            ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
            ("k", 1e3), ("m", 1e6), ("g", 1e9), ("b", 1),
        ]
        let trimmed = text.trimmingWhitespace().lowercased()
        var number = trimmed
        var scale = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = String(trimmed.dropLast(unit.suffix.count)).trimmingWhitespace()
            scale = unit.scale
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale < 9e18 else { return nil }
        bytes = Int64((value * scale).rounded())
    }

    /// A size computed in floating point (sums of many sizes), rounded and held within the
    /// range of `Int64` (a hostile input can make it larger); not-a-number gives 0.
    public init(approximately bytes: Double) {
        let limit = 9.2e18
        self.bytes = bytes.isNaN ? 0 : Int64(Swift.max(-limit, Swift.min(limit, bytes.rounded())))
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    /// `512 B`, `2.9 kB`, `13.4 MB`, `1.2 GB`; negative sizes keep their sign.
    public var description: String { ByteSize.format(bytes) }

    public static func format(_ bytes: Int64) -> String {
        let magnitude = Double(bytes.magnitude)
        let sign = bytes < 0 ? "-" : ""
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = magnitude
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(sign)\(Int64(magnitude)) B" }
        return "\(sign)\(formatDecimal(value)) \(units[unit])"
    }
}
