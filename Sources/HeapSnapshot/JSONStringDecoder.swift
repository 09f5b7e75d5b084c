import DiagSupport

/// Decodes the bytes of one JSON string (after its opening quote) into UTF-8, one byte at
/// a time, so it can resume across buffer refills. Raw bytes must be valid UTF-8; escapes
/// are decoded; a lone UTF-16 surrogate (which V8 can write) becomes U+FFFD.
struct JSONStringDecoder {
    enum Step: Equatable {
        case needMore
        case finished
        case failed(String)
    }

    /// The decoded bytes so far.
    var output: [UInt8] = []

    private enum State {
        case plain
        case escape
        case unicode(digits: Int, value: UInt32)
        case utf8(remaining: Int, low: UInt8, high: UInt8)
    }

    private var state = State.plain
    private var pendingHighSurrogate: UInt32?

    mutating func reset() {
        output.removeAll(keepingCapacity: true)
        state = .plain
        pendingHighSurrogate = nil
    }

    @inline(__always)
    mutating func feed(_ b: UInt8) -> Step {
        switch state {
        case .plain:
            if b == UInt8(ascii: "\"") {
                flushPendingSurrogate()
                return .finished
            }
            if b == UInt8(ascii: "\\") { state = .escape; return .needMore }
            flushPendingSurrogate()
            if b < 0x20 { return .failed("control character 0x\(String(b, radix: 16)) inside a string") }
            if b < 0x80 { output.append(b); return .needMore }
            return startMultibyte(b)
        case .escape:
            state = .plain
            let decoded: UInt8
            switch b {
            case UInt8(ascii: "\""): decoded = b
            case UInt8(ascii: "\\"): decoded = b
            case UInt8(ascii: "/"): decoded = b
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "u"): state = .unicode(digits: 0, value: 0); return .needMore
            default: return .failed("invalid escape '\\\(Character(Unicode.Scalar(b)))' in a string")
            }
            flushPendingSurrogate()
            output.append(decoded)
            return .needMore
        case let .unicode(digits, value):
            guard let digit = UTF8Encoding.hexDigitValue(b) else { return .failed("invalid \\u escape in a string") }
            let v = value << 4 | digit
            if digits < 3 { state = .unicode(digits: digits + 1, value: v); return .needMore }
            state = .plain
            appendCodeUnit(v)
            return .needMore
        case let .utf8(remaining, low, high):
            guard b >= low && b <= high else { return .failed("invalid UTF-8 in a string") }
            output.append(b)
            state = remaining > 1 ? .utf8(remaining: remaining - 1, low: 0x80, high: 0xBF) : .plain
            return .needMore
        }
    }

    /// True when the decoder sits between characters (no escape or multibyte sequence open).
    var isBetweenCharacters: Bool {
        if case .plain = state { return true }
        return false
    }

    private mutating func startMultibyte(_ b: UInt8) -> Step {
        switch b {
        case 0xC2...0xDF: state = .utf8(remaining: 1, low: 0x80, high: 0xBF)
        case 0xE0: state = .utf8(remaining: 2, low: 0xA0, high: 0xBF)
        case 0xE1...0xEC, 0xEE, 0xEF: state = .utf8(remaining: 2, low: 0x80, high: 0xBF)
        case 0xED: state = .utf8(remaining: 2, low: 0x80, high: 0x9F)
        case 0xF0: state = .utf8(remaining: 3, low: 0x90, high: 0xBF)
        case 0xF1...0xF3: state = .utf8(remaining: 3, low: 0x80, high: 0xBF)
        case 0xF4: state = .utf8(remaining: 3, low: 0x80, high: 0x8F)
        default: return .failed("invalid UTF-8 in a string")
        }
        output.append(b)
        return .needMore
    }

    private mutating func appendCodeUnit(_ unit: UInt32) {
        if (0xD800...0xDBFF).contains(unit) {
            flushPendingSurrogate()
            pendingHighSurrogate = unit
            return
        }
        if (0xDC00...0xDFFF).contains(unit) {
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                appendScalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))
            } else {
                appendScalar(0xFFFD)
            }
            return
        }
        flushPendingSurrogate()
        appendScalar(unit)
    }

    /// Ends a pending lone surrogate before plain text is appended in bulk.
    mutating func flushBeforePlainText() { flushPendingSurrogate() }

    private mutating func flushPendingSurrogate() {
        if pendingHighSurrogate != nil {
            pendingHighSurrogate = nil
            appendScalar(0xFFFD)
        }
    }

    private mutating func appendScalar(_ v: UInt32) {
        UTF8Encoding.append(v, to: &output)
    }
}
