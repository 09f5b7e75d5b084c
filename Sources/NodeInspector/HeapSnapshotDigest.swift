import Foundation

/// A small summary of a `.heapsnapshot` computed while its text streams past, without
/// keeping the snapshot: node count, total shallow size and, per constructor, the count and
/// shallow size of its objects. Memory is bounded by the number of distinct constructor
/// names, not by the snapshot's size. Constructors are named as DevTools' Summary view names
/// them (`Foo` for objects, `Function`, `(string)`, `(compiled code)`, `(system)`, ...),
/// but unlike DevTools every node is counted, reachable or not.
///
/// This is the light pass diag runs after `diag heap`; the full analysis (retained sizes,
/// dominators) belongs to the heap snapshot module.
public final class HeapSnapshotDigest {
    /// One constructor's objects.
    public struct ConstructorShare: Sendable, Codable, Equatable {
        public var name: String
        public var count: Int
        public var shallowSize: Int64
    }

    public private(set) var nodeCount = 0
    public private(set) var totalSize: Int64 = 0
    /// Bytes of snapshot text consumed so far.
    public private(set) var bytesSeen = 0

    private enum Mode { case top, key, colon, value, skip, meta, nodes, strings, done }
    private var mode = Mode.top
    private var key: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var metaBytes: [UInt8] = []

    private var fieldCount = 7
    private var typeField = 0, nameField = 1, sizeField = 3
    private var nodeTypes: [String] = []
    private var fieldIndex = 0
    private var fields = [Int](repeating: 0, count: 16)
    private var number = 0
    private var hasDigits = false
    /// Per class: object/native nodes by name index (>= 0), other types as -(type + 1).
    private var aggregates: [Int: (count: Int, size: Int64)] = [:]

    private var stringIndex = 0
    private var currentString: [UInt8] = []
    private var wanted = Set<Int>()
    private var collecting = false
    private var names: [Int: String] = [:]

    public init() {}

    /// True when the whole snapshot went past and was understood.
    public var isComplete: Bool { mode == .done }

    /// Feeds the next bytes of the snapshot text.
    public func consume(_ bytes: UnsafeRawBufferPointer) {
        bytesSeen += bytes.count
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch mode {
            case .top:
                if byte == UInt8(ascii: "\"") { mode = .key; key.removeAll(keepingCapacity: true) }
                else if byte == UInt8(ascii: "}") { mode = .done }
            case .key:
                if byte == UInt8(ascii: "\"") { mode = .colon } else { key.append(byte) }
            case .colon:
                if byte == UInt8(ascii: ":") { mode = .value }
            case .value:
                if isSpace(byte) { break }
                startValue(byte)
            case .skip:
                index = skip(bytes, from: index)
                continue
            case .meta:
                metaBytes.append(byte)
                if track(byte) { finishMeta(); mode = .top }
            case .nodes:
                index = readNodes(bytes, from: index)
                continue
            case .strings:
                index = readStrings(bytes, from: index)
                continue
            case .done:
                return
            }
            index += 1
        }
    }

    /// The constructors with the largest shallow size first.
    public func topConstructors(limit: Int = 10) -> [ConstructorShare] {
        constructors().values.sorted { ($0.shallowSize, $0.count, $1.name) > ($1.shallowSize, $1.count, $0.name) }
            .prefix(limit).map { $0 }
    }

    /// The count and shallow size of one constructor (for tests and reports).
    public func constructor(named name: String) -> ConstructorShare? {
        constructors()[name]
    }

    /// All constructors by name (several node types can share one, like `(system)`).
    private func constructors() -> [String: ConstructorShare] {
        var result: [String: ConstructorShare] = [:]
        for (key, value) in aggregates {
            let name = className(key)
            result[name, default: ConstructorShare(name: name, count: 0, shallowSize: 0)].count += value.count
            result[name, default: ConstructorShare(name: name, count: 0, shallowSize: 0)].shallowSize += value.size
        }
        return result
    }

    // MARK: Values

    private func startValue(_ byte: UInt8) {
        let name = String(decoding: key, as: UTF8.self)
        depth = 0
        inString = false
        escaped = false
        if name == "snapshot" {
            mode = .meta
            metaBytes = [byte]
            _ = track(byte)
        } else if name == "nodes" && byte == UInt8(ascii: "[") {
            mode = .nodes
        } else if name == "strings" && byte == UInt8(ascii: "[") {
            wanted = Set(aggregates.keys.filter { $0 >= 0 })
            mode = .strings
        } else {
            mode = .skip
            _ = track(byte)
        }
    }

    /// Tracks nesting over one byte of a value; true when the value just ended.
    private func track(_ byte: UInt8) -> Bool {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            return false
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            return depth == 0
        default: break
        }
        return false
    }

    private func skip(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            // Fast path: digits and commas of the big number arrays.
            if !inString && (byte == UInt8(ascii: ",") || (byte >= 0x30 && byte <= 0x39)) { continue }
            if track(byte) {
                mode = .top
                return index
            }
        }
        return index
    }

    private func finishMeta() {
        guard let object = try? JSONSerialization.jsonObject(with: Data(metaBytes)) as? [String: Any],
              let meta = object["meta"] as? [String: Any],
              let nodeFields = meta["node_fields"] as? [String] else { return }
        fieldCount = nodeFields.count
        typeField = nodeFields.firstIndex(of: "type") ?? 0
        nameField = nodeFields.firstIndex(of: "name") ?? 1
        sizeField = nodeFields.firstIndex(of: "self_size") ?? 3
        if fields.count < fieldCount { fields = [Int](repeating: 0, count: fieldCount) }
        nodeTypes = ((meta["node_types"] as? [Any])?.first as? [String]) ?? []
        metaBytes = []
    }

    private func readNodes(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte >= 0x30 && byte <= 0x39 {
                number = number &* 10 &+ Int(byte - 0x30)
                hasDigits = true
                continue
            }
            if hasDigits { finishNumber() }
            if byte == UInt8(ascii: "]") {
                mode = .top
                return index
            }
        }
        return index
    }

    private func finishNumber() {
        fields[fieldIndex] = number
        number = 0
        hasDigits = false
        fieldIndex += 1
        guard fieldIndex == fieldCount else { return }
        fieldIndex = 0
        let type = fields[typeField]
        let size = Int64(fields[sizeField])
        nodeCount += 1
        totalSize += size
        let typeName = type < nodeTypes.count ? nodeTypes[type] : ""
        let key = (typeName == "object" || typeName == "native") ? fields[nameField] : -(type + 1)
        aggregates[key, default: (0, 0)].count += 1
        aggregates[key, default: (0, 0)].size += size
    }

    private func readStrings(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if collecting {
                        names[stringIndex] = currentString.withUnsafeBytes { try? JSONScanner.decodeString($0, 0..<$0.count) } ?? ""
                    }
                    stringIndex += 1
                    continue
                }
                if collecting { currentString.append(byte) }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                collecting = wanted.contains(stringIndex)
                currentString.removeAll(keepingCapacity: true)
            } else if byte == UInt8(ascii: "]") {
                mode = .top
                return index
            }
        }
        return index
    }

    private func className(_ key: Int) -> String {
        if key >= 0 { return names[key] ?? "(unnamed)" }
        let type = -key - 1
        switch type < nodeTypes.count ? nodeTypes[type] : "" {
        case "hidden": return "(system)"
        case "closure": return "Function"
        case "code": return "(compiled code)"
        case "string", "concatenated string", "sliced string": return "(string)"
        case let other: return "(\(other))"
        }
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}
