/// A JSON document built explicitly, so that absent values are written as `null` (the
/// schema promises every key) and numbers keep their exact integer value.
public indirect enum JSONValue: Encodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    /// An address as a hex string (`"0x7f12..."`), or null.
    static func address(_ value: UInt64?) -> JSONValue { value.map { .string(hex($0)) } ?? .null }
    static func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func number<Integer: BinaryInteger>(_ value: Integer?) -> JSONValue { value.map { .integer(Int64(clamping: $0)) } ?? .null }
    static func flag(_ value: Bool?) -> JSONValue { value.map { .bool($0) } ?? .null }
}
