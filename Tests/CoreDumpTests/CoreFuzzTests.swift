import CoreDump
import DiagSupport
import Foundation
import Testing
import TestSupport

/// Mutants of a small real core (written by `diag gcore` of a three-thread C fixture) give a
/// clean error or a summary: never a trap, never a hang. Most run in-process through what
/// `diag core` runs (diag's ELF and note parsing, libdwfl's modules and unwinding, the
/// argument recovery, the verdict, text and JSON); a few through the `diag` binary, which must
/// exit below 128.
@Suite(.serialized) struct CoreFuzzTests {
    /// The core, made once per test process; thread stacks of 128 KiB keep it under 1 MB.
    static let realCore: Result<[UInt8], FixtureError> = {
        do {
            let binary = try FixtureCompiler.compile("core_target")
            let fixture = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "ulimit -s 128; exec '\(binary)'"])
            defer { fixture.stop() }
            let directory = try FixturePaths.temporaryDirectory("diag-core-fuzz")
            let path = "\(directory)/base.core"
            let result = try Command.diag(["gcore", String(fixture.pid), "-o", path, "--quiet"], timeout: 60)
            guard result.status == 0 else { return .failure(FixtureError("diag gcore failed: \(result.standardError)")) }
            return .success(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("\(error)"))
        }
    }()

    /// What `diag core FILE` and `diag core FILE --json` run; a `DiagError` is a clean outcome.
    static func exercise(_ path: String) -> String? {
        do {
            let summary = try CoreAnalyzer.analyze(path: path, options: .init(maxFrames: 64))
            _ = CoreSummaryText.render(summary)
            _ = try JSONEncoder().encode(CoreSummaryJSON.document(summary))
        } catch is DiagError {
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
        return nil
    }

    @Test(.timeLimit(.minutes(6)))
    func mutantsNeverCrashOrHangInProcess() throws {
        let original = try Self.realCore.get()
        let mutator = try CoreMutator(original)
        let campaign = try FuzzCampaign(kind: "core", seed: 20261213, mutants: 2000)
        #expect(Self.exercise(try writeOriginal(original, in: campaign.directory)) == nil)
        let failures = try campaign.run(original: original, mutate: { _, rng in mutator.mutant(&rng) }) { _, path in
            Self.exercise(path)
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test(.timeLimit(.minutes(6)))
    func mutantsExitCleanlyThroughDiag() throws {
        let original = try Self.realCore.get()
        let mutator = try CoreMutator(original)
        let campaign = try FuzzCampaign(kind: "core", seed: 20261214, mutants: 100)
        var number = 0
        let failures = try campaign.run(original: original, mutate: { _, rng in mutator.mutant(&rng) }) { _, path in
            number += 1
            return FuzzCampaign.cleanExit(try Command.diag(["core", path] + (number % 2 == 0 ? ["--json"] : []), timeout: 30))
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }

    /// PN_XNUM with a section header offset near 2^64 (found by the fuzz test): an error, not a trap.
    @Test func anExtendedSegmentCountBeyondTheAddressRangeIsAnError() throws {
        var bytes = try Self.realCore.get()
        bytes[56] = 0xff
        bytes[57] = 0xff
        for byte in 40..<48 { bytes[byte] = 0xff }
        let path = try writeOriginal(bytes, in: try FixturePaths.temporaryDirectory("diag-core-xnum"))
        #expect(throws: DiagError.self) { try CoreAnalyzer.analyze(path: path) }
    }

    private func writeOriginal(_ bytes: [UInt8], in directory: String) throws -> String {
        let path = "\(directory)/original.core"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Edits of a valid core's fixed-width fields: the ELF header (program and section header
/// offsets, sizes and counts, PN_XNUM), each program header, each note's header, and the
/// notes' contents (thread registers, NT_FILE counts and entries, the auxiliary vector,
/// siginfo, psinfo); plus flipped bytes in the headers and notes, and truncation.
struct CoreMutator {
    private let original: [UInt8]
    /// (offset, width) of every field worth editing.
    private let headerFields: [(Int, Int)]
    private let segmentFields: [(Int, Int)]
    private let noteHeaderFields: [(Int, Int)]
    private let noteContentFields: [(Int, Int)]
    /// The end of the notes: headers and notes lie before it.
    private let metadataEnd: Int

    init(_ bytes: [UInt8]) throws {
        original = bytes
        let layout = try bytes.withUnsafeBytes { try CoreLayout(parsing: ByteView($0), path: "base.core") }
        headerFields = [(4, 1), (5, 1), (6, 1), (16, 2), (18, 2), (20, 4), (32, 8), (40, 8), (52, 2), (54, 2), (56, 2),
                        (58, 2), (60, 2), (62, 2)]
        let tableOffset = Int(bytes.withUnsafeBytes { ByteView($0).u64(at: 32) ?? 64 })
        var segmentFields: [(Int, Int)] = []
        for index in 0..<layout.segments.count {
            let at = tableOffset + index * 56
            segmentFields += [(at, 4), (at + 4, 4), (at + 8, 8), (at + 16, 8), (at + 32, 8), (at + 40, 8)]
        }
        self.segmentFields = segmentFields
        var noteHeaders: [(Int, Int)] = [], noteContents: [(Int, Int)] = []
        var end = tableOffset + layout.segments.count * 56
        for segment in layout.segments where segment.type == CoreLayout.noteSegment {
            var at = Int(segment.offset)
            let limit = Int(segment.offset + segment.fileSize)
            end = max(end, limit)
            while at + 12 <= limit {
                let nameSize = bytes.withUnsafeBytes { Int(ByteView($0).u32(at: UInt64(at)) ?? 0) }
                let descriptionSize = bytes.withUnsafeBytes { Int(ByteView($0).u32(at: UInt64(at + 4)) ?? 0) }
                noteHeaders += [(at, 4), (at + 4, 4), (at + 8, 4)]
                let description = at + 12 + (nameSize + 3) & ~3
                for field in stride(from: description, to: min(limit, description + descriptionSize) - 7, by: 8) {
                    noteContents.append((field, 8))
                }
                at = description + (descriptionSize + 3) & ~3
            }
        }
        noteHeaderFields = noteHeaders
        noteContentFields = noteContents
        metadataEnd = end
        guard !noteContents.isEmpty else { throw FixtureError("the core has no notes to mutate") }
    }

    /// Up to four edits.
    func mutant(_ rng: inout SplitMix) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let metadataEnd = min(self.metadataEnd, bytes.count)
            guard metadataEnd > 0 else { break }
            switch Int.random(in: 0..<13, using: &rng) {
            case 12:
                // PN_XNUM: the segment count is in section header 0, wherever e_shoff says.
                guard bytes.count >= 64 else { continue }
                bytes[56] = 0xff
                bytes[57] = 0xff
                Mutator.overwriteField(&bytes, offset: 40, width: 8, &rng)
            case 0, 1: edit(&bytes, headerFields, &rng)
            case 2, 3, 4: edit(&bytes, segmentFields, &rng)
            case 5, 6: edit(&bytes, noteHeaderFields, &rng)
            case 7, 8, 9: edit(&bytes, noteContentFields, &rng)
            case 10:
                for _ in 0..<Int.random(in: 1...16, using: &rng) {
                    bytes[Int.random(in: 0..<metadataEnd, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            default:
                let cut = Bool.random(using: &rng) ? Int.random(in: 0..<metadataEnd, using: &rng) : Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(cut...)
            }
        }
        return bytes
    }

    private func edit(_ bytes: inout [UInt8], _ fields: [(Int, Int)], _ rng: inout SplitMix) {
        guard let (offset, width) = fields.randomElement(using: &rng) else { return }
        Mutator.overwriteField(&bytes, offset: offset, width: width, &rng)
    }
}
