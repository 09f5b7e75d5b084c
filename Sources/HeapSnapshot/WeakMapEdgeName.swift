/// Recognizes V8's names for the internal edges of a WeakMap ephemeron pair:
/// `N / part of key (K @id) -> value (V @id) pair in WeakMap (table @id)`.
enum WeakMapEdgeName {
    /// The part after the leading index (shared by the key→value and table→value edges)
    /// and the table's node id; nil when the name is not of this shape.
    static func parse(_ name: UnsafeBufferPointer<UInt8>) -> (pair: ArraySlice<UInt8>, tableId: UInt32)? {
        let bytes = name
        var i = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        guard i > 0 else { return nil }
        let head = Array(" / part of key (".utf8)
        guard bytes.count - i > head.count, Array(bytes[i..<i + head.count]) == head else { return nil }
        let tail = Array(" pair in WeakMap (table @".utf8)
        // Ends with "<tail><digits>)".
        guard bytes.count >= 1, bytes[bytes.count - 1] == 0x29 else { return nil }
        var j = bytes.count - 1
        var tableId: UInt64 = 0, scale: UInt64 = 1
        while j > 0, bytes[j - 1] >= 0x30, bytes[j - 1] <= 0x39 {
            tableId += UInt64(bytes[j - 1] - 0x30) * scale
            scale *= 10
            j -= 1
            if scale > 1_000_000_000_000 { return nil }
        }
        guard j < bytes.count - 1, j >= tail.count, Array(bytes[(j - tail.count)..<j]) == tail, tableId <= UInt64(UInt32.max) else { return nil }
        let middle = Array(bytes[(i + head.count)..<(j - tail.count)])
        guard contains(middle, Array(") -> value (".utf8)) else { return nil }
        return (ArraySlice(bytes[i...]), UInt32(tableId))
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}

/// Caches `WeakMapEdgeName.parse` per string index (most edge names are not WeakMap names).
struct WeakMapEdgeNames {
    private var notWeakMap: BitVector
    private var parsed: [UInt32: (pair: [UInt8], tableId: UInt32)] = [:]

    init(stringCount: Int) { notWeakMap = BitVector(count: stringCount) }

    mutating func lookup(_ nameIndex: UInt32, in strings: StringTable) -> (pair: [UInt8], tableId: UInt32)? {
        if notWeakMap[Int(nameIndex)] { return nil }
        if let hit = parsed[nameIndex] { return hit }
        guard let result = strings.withBytes(nameIndex, { WeakMapEdgeName.parse($0) }) else {
            notWeakMap[Int(nameIndex)] = true
            return nil
        }
        let entry = (pair: Array(result.pair), tableId: result.tableId)
        parsed[nameIndex] = entry
        return entry
    }
}
