import Foundation

/// The `--json` form of a command's summary: pretty-printed, keys sorted so that the
/// output is stable, on standard output.
public enum JSONOutput {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    public static func print<Value: Encodable>(_ value: Value) throws {
        Terminal.printOut(try encode(value) + "\n")
    }
}
