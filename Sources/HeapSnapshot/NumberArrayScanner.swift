/// Receives the numbers of one JSON array of unsigned integers, in order.
protocol UnsignedSink {
    /// Takes the next number; returns false (after setting `failure`) to reject it.
    mutating func accept(_ value: UInt64) -> Bool
    var failure: String { get }
}

extension ChunkedByteSource {
    /// Scans a JSON array of unsigned decimal integers (`[1,2,3]`, any whitespace) straight
    /// into `sink`, without building any intermediate value. Returns the element count.
    func scanUnsignedArray<Sink: UnsignedSink>(into sink: inout Sink, section: String) throws -> Int {
        guard try peekNonSpace() == UInt8(ascii: "[") else {
            if try peekNonSpace() == nil { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            throw HeapSnapshotError.malformed(offset: offset, reason: "\(section) must be an array of numbers")
        }
        start += 1
        // 0: expecting a number, 1: inside a number, 2: after a number (whitespace seen).
        var state = 0
        var value: UInt64 = 0
        var count = 0
        while true {
            if start >= end, try !refill() { throw HeapSnapshotError.truncated(offset: offset, while: section) }
            let buf = buffer
            var i = start
            let e = end
            while i < e {
                let b = buf[i]
                let digit = b &- 48
                if digit < 10 {
                    if state == 2 {
                        start = i
                        throw HeapSnapshotError.malformed(offset: offset, reason: "missing ',' between numbers in \(section)")
                    }
                    if value >= 1_844_674_407_370_955_161 {
                        let (m, o1) = value.multipliedReportingOverflow(by: 10)
                        let (s, o2) = m.addingReportingOverflow(UInt64(digit))
                        if o1 || o2 {
                            start = i
                            throw HeapSnapshotError.malformed(offset: offset, reason: "number too large in \(section)")
                        }
                        value = s
                    } else {
                        value = value &* 10 &+ UInt64(digit)
                    }
                    state = 1
                } else if b == UInt8(ascii: ",") {
                    if state == 0 {
                        start = i
                        throw HeapSnapshotError.malformed(offset: offset, reason: "empty element in \(section)")
                    }
                    if !sink.accept(value) {
                        start = i
                        throw HeapSnapshotError.malformed(offset: offset, reason: "\(sink.failure) (element \(count) of \(section))")
                    }
                    count += 1
                    value = 0
                    state = 0
                } else if b == 0x0A || b == 0x20 || b == 0x0D || b == 0x09 {
                    if state == 1 { state = 2 }
                } else if b == UInt8(ascii: "]") {
                    if state != 0 {
                        if !sink.accept(value) {
                            start = i
                            throw HeapSnapshotError.malformed(offset: offset, reason: "\(sink.failure) (element \(count) of \(section))")
                        }
                        count += 1
                    } else if count > 0 {
                        start = i
                        throw HeapSnapshotError.malformed(offset: offset, reason: "trailing ',' in \(section)")
                    }
                    start = i + 1
                    return count
                } else {
                    start = i
                    let what = b == UInt8(ascii: "-") ? "negative number" : (b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) ? "non-integer number" : "unexpected byte 0x\(String(b, radix: 16))"
                    throw HeapSnapshotError.malformed(offset: offset, reason: "\(what) in \(section)")
                }
                i += 1
            }
            start = e
        }
    }
}
