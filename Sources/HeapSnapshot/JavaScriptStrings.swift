/// Helpers that reproduce JavaScript string semantics on UTF-8 bytes, where DevTools'
/// results depend on them (lengths in UTF-16 units, default sort order, JSON.stringify).
enum JavaScriptStrings {
    /// `s.length`: UTF-16 code units of valid UTF-8 bytes.
    static func utf16Length<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var units = 0
        for b in bytes {
            if b & 0xC0 != 0x80 { units += 1 }
            if b >= 0xF0 { units += 1 }
        }
        return units
    }

    /// JavaScript's default string comparison (UTF-16 code unit order) on UTF-8 bytes.
    static func lessThan(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        var i = 0
        while i < n, a[i] == b[i] { i += 1 }
        if i == n { return a.count < b.count }
        return sortKey(a[i]) < sortKey(b[i])
    }

    /// Lead bytes of 4-byte sequences (surrogate pairs in UTF-16) sort below U+E000..U+FFFF.
    private static func sortKey(_ b: UInt8) -> Int {
        b >= 0xF0 ? 0xED * 2 + 1 : Int(b) * 2
    }

    /// DevTools' `formatPropertyName`: names containing `, ' " { }` are shown JSON-quoted.
    static func formatPropertyName(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == 0x2C || $0 == 0x27 || $0 == 0x22 || $0 == 0x7B || $0 == 0x7D }) else { return name }
        return jsonQuoted(name)
    }

    /// `JSON.stringify(s)` for a string.
    static func jsonQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
