/// A small JSON value, used only for the `.heapsnapshot` header (`snapshot.meta` and counts),
/// which is a few kilobytes. The big arrays never go through this type.
enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)): return a.elementsEqual(b) { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(a), .array(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var arrayValue: [JSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The value as a non-negative integer, if it is one.
    var unsignedValue: UInt64? {
        guard case let .number(d) = self, d >= 0, d < 1.8e19, d == d.rounded() else { return nil }
        return UInt64(d)
    }

    /// An array of strings, or nil if this is not one.
    var stringArray: [String]? {
        guard let items = arrayValue else { return nil }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { return nil }
            out.append(s)
        }
        return out
    }
}

/// Parses a complete JSON text held in memory. Nesting is limited so hostile input
/// cannot exhaust the stack.
struct JSONValueParser {
    private let bytes: [UInt8]
    private var position = 0
    /// Absolute file offset of `bytes[0]`, for error messages.
    private let baseOffset: UInt64
    private static let maxDepth = 64

    init(bytes: [UInt8], baseOffset: UInt64) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    static func parse(_ bytes: [UInt8], baseOffset: UInt64) throws -> JSONValue {
        var parser = JSONValueParser(bytes: bytes, baseOffset: baseOffset)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.position != bytes.count { throw parser.error("unexpected data after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> HeapSnapshotError {
        .malformed(offset: baseOffset + UInt64(position), reason: reason)
    }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
        skipSpace()
        guard position < bytes.count else { throw error("unexpected end of the header") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w else {
            throw error("expected \(word)")
        }
        position += w.count
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        position += 1
        var members: [(String, JSONValue)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw error("unexpected end of the header") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw error("unexpected end of the header") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func number() throws -> Double {
        let begin = position
        while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
        guard position > begin, let number = Double(String(decoding: bytes[begin..<position], as: UTF8.self)) else {
            position = begin
            throw error("expected a JSON value")
        }
        return number
    }

    private mutating func string() throws -> String {
        position += 1
        var decoder = JSONStringDecoder()
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            switch decoder.feed(b) {
            case .needMore: continue
            case .finished: return String(decoding: decoder.output, as: UTF8.self)
            case let .failed(reason): position -= 1; throw error(reason)
            }
        }
        throw error("unterminated string")
    }
}
