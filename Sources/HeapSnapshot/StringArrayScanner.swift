extension ChunkedByteSource {
    /// Reads one JSON string (the next non-space byte must be its opening quote) into
    /// `decoder.output`. Plain ASCII runs are copied in bulk; escapes and UTF-8 are validated.
    func scanString(into decoder: inout JSONStringDecoder, section: String, maxBytes: Int = .max) throws {
        guard try peekNonSpace() == UInt8(ascii: "\"") else {
            if try peekNonSpace() == nil { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            throw HeapSnapshotError.malformed(offset: offset, reason: "expected a string in \(section)")
        }
        start += 1
        decoder.reset()
        while true {
            if start >= end, try !refill() { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            let buf = buffer
            var i = start
            let e = end
            while i < e {
                if decoder.isBetweenCharacters {
                    var j = i
                    while j < e {
                        let b = buf[j]
                        if b < 0x20 || b >= 0x80 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { break }
                        j += 1
                    }
                    if j > i {
                        decoder.appendPlainASCII(UnsafeBufferPointer(start: buf + i, count: j - i))
                        i = j
                        if i == e { break }
                    }
                }
                switch decoder.feed(buf[i]) {
                case .needMore:
                    i += 1
                case .finished:
                    start = i + 1
                    return
                case let .failed(reason):
                    start = i
                    throw HeapSnapshotError.malformed(offset: offset, reason: "\(reason) (\(section))")
                }
            }
            start = e
            if decoder.output.count > maxBytes {
                throw HeapSnapshotError.malformed(offset: offset, reason: "string longer than \(maxBytes) bytes in \(section)")
            }
        }
    }

    /// Scans the `strings` array into `table`.
    func scanStringArray(into table: inout StringTable, section: String) throws {
        guard try peekNonSpace() == UInt8(ascii: "[") else {
            if try peekNonSpace() == nil { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            throw HeapSnapshotError.malformed(offset: offset, reason: "\(section) must be an array of strings")
        }
        start += 1
        var decoder = JSONStringDecoder()
        if try peekNonSpace() == UInt8(ascii: "]") { start += 1; return }
        while true {
            try scanString(into: &decoder, section: section)
            table.append(bytes: decoder.output)
            guard let b = try peekNonSpace() else { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            start += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { return }
            start -= 1
            throw HeapSnapshotError.malformed(offset: offset, reason: "expected ',' or ']' in \(section)")
        }
    }

    /// Skips one JSON value of any shape without storing it (unknown or unused sections).
    func skipValue(section: String) throws {
        guard let first = try peekNonSpace() else { throw HeapSnapshotError.truncated(offset: offset, while: section) }
        if first == UInt8(ascii: "\"") {
            var decoder = JSONStringDecoder()
            try scanString(into: &decoder, section: section)
            return
        }
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if start >= end, try !refill() { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            let b = buffer[start]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                start += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 { return }
                depth -= 1
                if depth == 0 { start += 1; return }
            case UInt8(ascii: ","):
                if depth == 0 { return }
            default: break
            }
            start += 1
        }
    }

    /// Captures one balanced JSON object (for the small `snapshot` header) as raw bytes.
    func captureObject(section: String, limit: Int) throws -> (bytes: [UInt8], offset: UInt64) {
        guard try peekNonSpace() == UInt8(ascii: "{") else {
            if try peekNonSpace() == nil { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            throw HeapSnapshotError.malformed(offset: offset, reason: "\(section) must be an object")
        }
        let begin = offset
        var out: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        while true {
            if start >= end, try !refill() { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            let b = buffer[start]
            start += 1
            out.append(b)
            if out.count > limit { throw HeapSnapshotError.malformed(offset: begin, reason: "\(section) is larger than \(limit) bytes") }
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return (out, begin) }
            default: break
            }
        }
    }
}

extension JSONStringDecoder {
    /// Appends bytes already known to be printable ASCII other than '"' and '\\'.
    mutating func appendPlainASCII(_ run: UnsafeBufferPointer<UInt8>) {
        flushBeforePlainText()
        output.append(contentsOf: run)
    }
}
