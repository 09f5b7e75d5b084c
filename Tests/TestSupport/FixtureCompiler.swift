import Foundation

/// Compiles the C fixtures in `Tests/Fixtures/native` with the system compiler, as the
/// targets diag meets in production: optimized, with DWARF, without frame pointers.
public enum FixtureCompiler {
    public static let defaultFlags = ["-O2", "-g", "-fomit-frame-pointer", "-pthread"]

    /// Compiles `Tests/Fixtures/native/NAME.c` (with `extraFlags`, e.g. `-s` to strip) and
    /// returns the binary's path. Results are cached per source content and flags, so tests
    /// running in parallel compile each variant once.
    public static func compile(_ name: String, extraFlags: [String] = []) throws -> String {
        let source = "\(FixturePaths.fixtures)/native/\(name).c"
        guard let text = FileManager.default.contents(atPath: source) else { throw FixtureError("no fixture \(source)") }
        let header = FileManager.default.contents(atPath: "\(FixturePaths.fixtures)/native/fixture.h") ?? Data()
        let flags = defaultFlags + extraFlags
        var hasher = Hasher64()
        hasher.add(text)
        hasher.add(header)
        hasher.add(Data(flags.joined(separator: " ").utf8))
        let directory = "\(NSTemporaryDirectory())/diag-fixtures"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let binary = "\(directory)/\(name)-\(hasher.hex)"
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        let partial = "\(binary).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let result = try Command.run("/usr/bin/env", ["cc"] + flags + ["-I", "\(FixturePaths.fixtures)/native", "-o", partial, source])
        guard result.status == 0 else { throw FixtureError("cc failed for \(name):\n\(result.standardError)") }
        // link() never replaces a binary that a parallel test already placed (and may be running).
        if link(partial, binary) != 0 && errno != EEXIST { throw FixtureError("cannot place \(binary)") }
        unlink(partial)
        return binary
    }
}

/// FNV-1a, enough to name cache entries.
struct Hasher64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ data: Data) {
        for byte in data {
            state ^= UInt64(byte)
            state = state &* 0x100_0000_01b3
        }
    }
    var hex: String { String(state, radix: 16) }
}
