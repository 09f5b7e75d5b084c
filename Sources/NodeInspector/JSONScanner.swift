import DiagSupport
import Glibc

/// Finds where things are in JSON text without building objects: the members of an object
/// as byte ranges, so that a CDP message's `id`, `method` and `params` can be read while a
/// 100 kB heap-snapshot chunk inside it is copied out directly, and a CPU profile can be
/// written exactly as V8 sent it.
package enum JSONScanner {
    /// One member of an object: its key and the byte range of its value.
    package struct Member: Equatable {
        package let key: String
        package let value: Range<Int>
    }

    /// The members of the object that starts at `range.lowerBound` (after spaces).
    package static func members(_ text: UnsafeRawBufferPointer, in range: Range<Int>? = nil) throws -> [Member] {
        let range = range ?? 0..<text.count
        var index = skipSpaces(text, range.lowerBound, range.upperBound)
        guard index < range.upperBound, text[index] == UInt8(ascii: "{") else { throw JSONScanError("an object was expected") }
        index = skipSpaces(text, index + 1, range.upperBound)
        var result: [Member] = []
        if index < range.upperBound, text[index] == UInt8(ascii: "}") { return result }
        while true {
            guard index < range.upperBound, text[index] == UInt8(ascii: "\"") else { throw JSONScanError("a key was expected") }
            let keyEnd = try skipString(text, index, range.upperBound)
            let key = try decodeString(text, (index + 1)..<(keyEnd - 1))
            index = skipSpaces(text, keyEnd, range.upperBound)
            guard index < range.upperBound, text[index] == UInt8(ascii: ":") else { throw JSONScanError("':' was expected") }
            let valueStart = skipSpaces(text, index + 1, range.upperBound)
            let valueEnd = try skipValue(text, valueStart, range.upperBound)
            result.append(Member(key: key, value: valueStart..<valueEnd))
            index = skipSpaces(text, valueEnd, range.upperBound)
            guard index < range.upperBound else { throw JSONScanError("the object is not closed") }
            if text[index] == UInt8(ascii: "}") { return result }
            guard text[index] == UInt8(ascii: ",") else { throw JSONScanError("',' or '}' was expected") }
            index = skipSpaces(text, index + 1, range.upperBound)
        }
    }

    /// The index just after the value that starts at `index`.
    static func skipValue(_ text: UnsafeRawBufferPointer, _ index: Int, _ limit: Int) throws -> Int {
        guard index < limit else { throw JSONScanError("a value was expected") }
        switch text[index] {
        case UInt8(ascii: "\""):
            return try skipString(text, index, limit)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var position = index
            while position < limit {
                switch text[position] {
                case UInt8(ascii: "\""):
                    position = try skipString(text, position, limit)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return position + 1 }
                default:
                    break
                }
                position += 1
            }
            throw JSONScanError("an object or array is not closed")
        default:
            var position = index
            while position < limit {
                let byte = text[position]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isSpace(byte) { break }
                position += 1
            }
            guard position > index else { throw JSONScanError("a value was expected") }
            return position
        }
    }

    /// The index just after the closing quote of the string whose opening quote is at `index`.
    static func skipString(_ text: UnsafeRawBufferPointer, _ index: Int, _ limit: Int) throws -> Int {
        var position = index + 1
        while position < limit {
            let byte = text[position]
            if byte == UInt8(ascii: "\"") { return position + 1 }
            position += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        throw JSONScanError("a string is not closed")
    }

    /// The text of a string's contents (between the quotes), escapes resolved.
    static func decodeString(_ text: UnsafeRawBufferPointer, _ contents: Range<Int>) throws -> String {
        var decoder = JSONStringDecoder()
        var bytes: [UInt8] = []
        try decoder.decode(UnsafeRawBufferPointer(rebasing: text[contents]), appendingTo: &bytes)
        decoder.finish(appendingTo: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func skipSpaces(_ text: UnsafeRawBufferPointer, _ index: Int, _ limit: Int) -> Int {
        var position = index
        while position < limit, isSpace(text[position]) { position += 1 }
        return position
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// JSON text that is not what the scanner expected.
struct JSONScanError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "malformed JSON: \(description)" }
}

/// Resolves the escapes of JSON string contents into UTF-8, in pieces: a string can be
/// decoded across several calls, and a UTF-16 surrogate pair split between two calls (a
/// heap snapshot chunk can end between the halves of one character) is joined. Each piece
/// must hold whole escapes.
struct JSONStringDecoder {
    private var pendingHighSurrogate: UInt16?

    /// Decodes `contents` (no quotes; escapes complete) and appends the bytes to `output`.
    mutating func decode(_ contents: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        var index = 0
        var runStart = 0
        while index < contents.count {
            guard let found = memchr(contents.baseAddress! + index, Int32(UInt8(ascii: "\\")), contents.count - index) else {
                index = contents.count
                break
            }
            index = contents.baseAddress!.distance(to: UnsafeRawPointer(found))
            if index > runStart { appendRun(UnsafeRawBufferPointer(rebasing: contents[runStart..<index]), to: &output) }
            guard index + 1 < contents.count else { throw JSONScanError("a string ends inside an escape") }
            let kind = contents[index + 1]
            if kind == UInt8(ascii: "u") {
                guard index + 6 <= contents.count else { throw JSONScanError("a string ends inside an escape") }
                var unit: UInt16 = 0
                for offset in 2..<6 {
                    guard let digit = UTF8Encoding.hexDigitValue(contents[index + offset]) else { throw JSONScanError("a bad \\u escape") }
                    unit = unit << 4 | UInt16(digit)
                }
                appendUnit(unit, to: &output)
                index += 6
            } else {
                let byte: UInt8
                switch kind {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte = kind
                case UInt8(ascii: "n"): byte = 0x0A
                case UInt8(ascii: "t"): byte = 0x09
                case UInt8(ascii: "r"): byte = 0x0D
                case UInt8(ascii: "b"): byte = 0x08
                case UInt8(ascii: "f"): byte = 0x0C
                default: throw JSONScanError("an unknown escape")
                }
                closeLoneSurrogate(&output)
                output.append(byte)
                index += 2
            }
            runStart = index
        }
        if index > runStart { appendRun(UnsafeRawBufferPointer(rebasing: contents[runStart..<index]), to: &output) }
    }

    /// Ends the string; a lone half of a surrogate pair becomes U+FFFD.
    mutating func finish(appendingTo output: inout [UInt8]) {
        closeLoneSurrogate(&output)
    }

    private mutating func appendRun(_ run: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        closeLoneSurrogate(&output)
        output.append(contentsOf: run)
    }

    private mutating func closeLoneSurrogate(_ output: inout [UInt8]) {
        guard pendingHighSurrogate != nil else { return }
        pendingHighSurrogate = nil
        UTF8Encoding.append(0xFFFD, to: &output)
    }

    private mutating func appendUnit(_ unit: UInt16, to output: inout [UInt8]) {
        if let high = pendingHighSurrogate {
            pendingHighSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                UTF8Encoding.append(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00), to: &output)
                return
            }
            UTF8Encoding.append(0xFFFD, to: &output)
        }
        if unit >= 0xD800 && unit <= 0xDBFF {
            pendingHighSurrogate = unit
        } else if unit >= 0xDC00 && unit <= 0xDFFF {
            UTF8Encoding.append(0xFFFD, to: &output)
        } else {
            UTF8Encoding.append(UInt32(unit), to: &output)
        }
    }
}
