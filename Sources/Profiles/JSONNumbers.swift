import Foundation

/// Writes arrays of integers as JSON text directly: the long arrays of a profile (samples,
/// time deltas, speedscope stacks) are most of its size, and Foundation's encoder takes
/// several times longer for them.
enum JSONNumbers {
    /// Appends `[1,2,3]` to `text`.
    static func append<Values: Sequence>(_ values: Values, to text: inout Data) where Values.Element: BinaryInteger {
        text.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { text.append(UInt8(ascii: ",")) }
            first = false
            text.append(contentsOf: String(value).utf8)
        }
        text.append(UInt8(ascii: "]"))
    }
}
