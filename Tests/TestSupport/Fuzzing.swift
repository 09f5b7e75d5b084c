import Foundation

/// Deterministic pseudo-random numbers (SplitMix64), so a failing mutation can be replayed.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of valid inputs for the fuzz tests: byte flips, truncation, edge-value numbers,
/// duplicated or removed JSON tokens, deep nesting; and edits of fixed-width binary fields.
public enum Mutator {
    /// Numbers at the edges of the integer and floating-point ranges, and text that only
    /// looks like a number.
    public static let edgeNumbers = [
        "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "4294967295", "4294967296",
        "2147483647", "-2147483648", "9007199254740992", "9007199254740993", "1e308", "-1e308", "1e400",
        "99999999999999999999999999999", "NaN", "Infinity", "-Infinity", "1.5", "-0", "0x10", "1e", "--1",
    ]

    /// One random mutation of JSON text.
    public static func mutateJSON(_ original: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = original
        guard !bytes.isEmpty else { return bytes }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: bytes.removeSubrange(at...)
        case 1: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
        case 2, 3: replaceNumber(in: &bytes, near: at, with: edgeNumbers.randomElement(using: &rng)!)
        case 4:
            // Remove one token: a number, a string, or one structural byte.
            let range = tokenRange(in: bytes, near: at)
            bytes.removeSubrange(range)
        case 5:
            let range = tokenRange(in: bytes, near: at)
            bytes.insert(contentsOf: Array(bytes[range]) + Array(",".utf8), at: range.lowerBound)
        case 6:
            let depth = [64, 1000, 100_000].randomElement(using: &rng)!
            let open = Bool.random(using: &rng) ? UInt8(ascii: "[") : UInt8(ascii: "{")
            var nest = [UInt8](repeating: open, count: depth)
            if open == UInt8(ascii: "{") { nest = Array(String(repeating: "{\"a\":", count: depth).utf8) }
            bytes.insert(contentsOf: nest, at: at)
        case 7:
            let junk: [[UInt8]] = [[0xFF], [0xC3, 0x28], Array("\"".utf8), Array("]".utf8), Array("}".utf8),
                                   Array(",".utf8), Array("\\u12".utf8), Array("\\ud800".utf8), [0], Array("null".utf8)]
            bytes.insert(contentsOf: junk.randomElement(using: &rng)!, at: at)
        default:
            // Several edge values at once: files where every number is hostile.
            for _ in 0..<Int.random(in: 2...20, using: &rng) {
                replaceNumber(in: &bytes, near: Int.random(in: 0..<bytes.count, using: &rng),
                              with: edgeNumbers.randomElement(using: &rng)!)
            }
        }
        return bytes
    }

    /// Replaces the number at or after `at` (the next run of digits) with `text`.
    static func replaceNumber(in bytes: inout [UInt8], near at: Int, with text: String) {
        guard var start = bytes[at...].firstIndex(where: isNumberByte) else { return }
        while start > 0, isNumberByte(bytes[start - 1]) { start -= 1 }
        var end = start
        while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
        bytes.replaceSubrange(start..<end, with: Array(text.utf8))
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
    }

    /// The JSON token around `at`: a string with its quotes, a number, or one byte.
    static func tokenRange(in bytes: [UInt8], near at: Int) -> Range<Int> {
        if isNumberByte(bytes[at]) {
            var start = at, end = at
            while start > 0, isNumberByte(bytes[start - 1]) { start -= 1 }
            while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
            return start..<end
        }
        if bytes[at] == UInt8(ascii: "\""), let close = bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "\"")) {
            return at..<(close + 1)
        }
        return at..<(at + 1)
    }

    /// Overwrites `width` bytes (little-endian) at `offset` with an edge value of that width.
    public static func overwriteField(_ bytes: inout [UInt8], offset: Int, width: Int, _ rng: inout SplitMix) {
        guard offset >= 0, offset + width <= bytes.count else { return }
        let values: [UInt64] = [0, 1, 2, .max, .max / 2, .max / 2 + 1, UInt64(UInt32.max), 0x7FFF_FFFF,
                                UInt64(bytes.count), UInt64(bytes.count) - 1, UInt64(bytes.count) + 1,
                                1 << 40, 0xFFFF_FFFF_FFFF_F000, UInt64.random(in: 0...UInt64.max, using: &rng)]
        var value = values.randomElement(using: &rng)!
        if Bool.random(using: &rng) {
            // Or a small change of the field's current value.
            var current: UInt64 = 0
            for byte in 0..<width { current |= UInt64(bytes[offset + byte]) << (8 * UInt64(byte)) }
            value = current &+ UInt64(bitPattern: Int64.random(in: -16...16, using: &rng))
        }
        for byte in 0..<width { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(byte))) }
    }
}

/// A fuzz campaign over one kind of input: a fixed seed (printed; `DIAG_FUZZ_SEED` overrides
/// it, `DIAG_FUZZ_MUTANTS` the count), each mutant written to a file before it is tried, so
/// that a trap, which kills the test process, leaves the input behind under a named path, and
/// a watchdog that ends the process with that path when one mutant takes too long.
public final class FuzzCampaign: @unchecked Sendable {
    public let kind: String
    public let seed: UInt64
    public let mutants: Int
    /// Where mutants are written; not removed at exit, so failures can be reproduced.
    public let directory: String
    /// The file holding the mutant being tried.
    public let currentPath: String
    private let lock = NSLock()
    private var progress = 0
    private var finished = false

    public init(kind: String, seed: UInt64, mutants: Int) throws {
        let environment = ProcessInfo.processInfo.environment
        self.kind = kind
        self.seed = environment["DIAG_FUZZ_SEED"].flatMap { UInt64($0) } ?? seed
        self.mutants = environment["DIAG_FUZZ_MUTANTS"].flatMap { Int($0) } ?? mutants
        var template = Array("\(NSTemporaryDirectory())/diag-fuzz-\(kind)-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        directory = String(cString: path)
        currentPath = "\(directory)/current.\(kind)"
        print("fuzz \(kind): seed \(self.seed), \(self.mutants) mutants; the mutant under test is \(currentPath)")
    }

    /// Tries `mutants` mutants of `original`: `check` gets the mutant's bytes and the path of a
    /// file holding them, and returns nil when the outcome is clean or a description of what is
    /// wrong. Returns the failures, each naming the file its mutant was saved to.
    public func run(original: [UInt8], timeoutSeconds: Double = 30,
                    mutate: ([UInt8], inout SplitMix) -> [UInt8],
                    check: ([UInt8], String) throws -> String?) throws -> [String] {
        startWatchdog(timeoutSeconds: timeoutSeconds)
        defer { lock.withLock { finished = true } }
        var rng = SplitMix(state: seed)
        var failures: [String] = []
        let started = Date()
        defer { print("fuzz \(kind): \(mutants) mutants of seed \(seed) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s") }
        for number in 0..<mutants {
            let mutant = mutate(original, &rng)
            try Data(mutant).write(to: URL(fileURLWithPath: currentPath))
            lock.withLock { progress = number + 1 }
            if let problem = try check(mutant, currentPath) {
                let saved = "\(directory)/failing-\(number).\(kind)"
                try Data(mutant).write(to: URL(fileURLWithPath: saved))
                failures.append("mutant \(number) of seed \(seed): \(problem); input saved as \(saved)")
            }
        }
        try? FileManager.default.removeItem(atPath: currentPath)
        if failures.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
        return failures
    }

    /// Ends the test process when the same mutant has run longer than `timeoutSeconds`: a hang
    /// in a reader cannot be interrupted from inside the process.
    private func startWatchdog(timeoutSeconds: Double) {
        let thread = Thread { [self] in
            var last = -1
            var since = Date()
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                let (now, done) = lock.withLock { (progress, finished) }
                if done { return }
                if now != last { last = now; since = Date(); continue }
                if Date().timeIntervalSince(since) > timeoutSeconds {
                    let saved = "\(directory)/hanging-\(now - 1).\(kind)"
                    try? FileManager.default.copyItem(atPath: currentPath, toPath: saved)
                    FileHandle.standardError.write(Data("fuzz \(kind): mutant \(now - 1) of seed \(seed) ran over \(timeoutSeconds) s; input saved as \(saved)\n".utf8))
                    exit(70)
                }
            }
        }
        thread.start()
    }

    /// A clean exit of the `diag` binary: a status below 128 (no signal, no time-out kill).
    public static func cleanExit(_ result: Command.Result) -> String? {
        result.status < 128 ? nil : "diag exited with status \(result.status): \(result.standardError.suffix(300))"
    }
}
