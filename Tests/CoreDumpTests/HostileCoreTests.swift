import CoreDump
import Foundation
import Testing
import TestSupport

/// Bad input gives a clear error and a non-zero exit, never a crash or a hang.
@Suite struct HostileCoreTests {
    private func write(_ bytes: [UInt8], name: String) throws -> String {
        let directory = try FixturePaths.temporaryDirectory("diag-hostile")
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func emptyFile() throws {
        let path = try write([], name: "empty.core")
        let result = try Command.diag(["core", path], timeout: 30)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is empty (0 bytes)"))
    }

    @Test func randomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let path = try write((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }, name: "random.core")
        let result = try Command.diag(["core", path], timeout: 30)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is not an ELF core file"))
    }

    @Test func compressedCoreSaysHowToDecompressIt() throws {
        let path = try write([0x28, 0xb5, 0x2f, 0xfd] + [UInt8](repeating: 7, count: 100), name: "core.zst")
        let result = try Command.diag(["core", path], timeout: 30)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is a zstd-compressed file, not an ELF core"))
        #expect(result.standardError.contains("zstd -d"))
    }

    @Test func missingFile() throws {
        let result = try Command.diag(["core", "/nonexistent/core.1"], timeout: 30)
        #expect(result.status == 2)
        #expect(result.standardError.contains("no such file /nonexistent/core.1"))
    }

    @Test func anExecutableIsNotACore() throws {
        let binary = try FixtureCompiler.compile("crash_assert")
        let result = try Command.diag(["core", binary], timeout: 30)
        #expect(result.status == 1)
        #expect(result.standardError.contains("not a core file"))
    }

    @Test func coreCutInsideItsHeaders() throws {
        let core = try CrashCores.native("crash_null")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: core.path)).prefix(200))
        let path = try write(bytes, name: "cut.core")
        let result = try Command.diag(["core", path], timeout: 30)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is truncated"))
    }

    @Test func truncatedCoreStillGivesTheNotesAndSaysSo() throws {
        let core = try CrashCores.native("crash_null")
        let data = try Data(contentsOf: URL(fileURLWithPath: core.path))
        let path = try write(Array(data.prefix(data.count / 3)), name: "truncated.core")
        let result = try Command.diag(["core", path, "--json"], timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let file = try #require(json["file"] as? [String: Any])
        #expect(file["truncated"] as? Bool == true)
        #expect((file["expected_size"] as? Int) == data.count)
        let signal = try #require(json["signal"] as? [String: Any])
        #expect(signal["name"] as? String == "SIGSEGV")
        #expect((json["warnings"] as? [String])?.contains { $0.contains("the core is truncated") } == true)
    }

    /// libdwfl refuses a core whose ELF version byte is wrong; diag still reads the notes.
    @Test(.timeLimit(.minutes(1)))
    func aCoreLibdwflRejectsStillGivesTheNotes() throws {
        let core = try CrashCores.native("crash_assert")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: core.path)))
        bytes[6] = 0xcc  // e_ident[EI_VERSION]
        let path = try write(bytes, name: "bad-version.core")
        let summary = try CoreAnalyzer.analyze(path: path)
        #expect(summary.warnings.contains { $0.contains("libdwfl cannot read the core's modules") })
        #expect(summary.signal?.name == "SIGABRT")
        #expect(summary.threads.count == 1)
        #expect(summary.threads.first?.frames.isEmpty == true)
        #expect(summary.modules.isEmpty)
    }

    /// Flipped bytes anywhere in the notes and headers: every variant is read without a crash.
    @Test(.timeLimit(.minutes(1)))
    func corruptedCoresNeverCrashTheReader() throws {
        let core = try CrashCores.native("crash_assert")
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: core.path)))
        let file = try MappedFile(path: core.path)
        let layout = try CoreLayout(parsing: file.view, path: core.path)
        let note = try #require(layout.segments.first { $0.type == CoreLayout.noteSegment })
        let directory = try FixturePaths.temporaryDirectory("diag-corrupt")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<60 {
            var bytes = original
            for _ in 0..<16 {
                let inHeaders = Bool.random(using: &generator)
                let range = inHeaders ? 0..<Int(note.offset) : Int(note.offset)..<Int(note.offset + note.fileSize)
                bytes[Int.random(in: range, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            let path = "\(directory)/corrupt-\(round).core"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try? CoreAnalyzer.analyze(path: path, options: .init(maxFrames: 64))
        }
    }

    @Test func aCoreWhoseExecutableIsGoneStillSummarizesAndNamesTheFix() throws {
        let directory = try FixturePaths.temporaryDirectory("diag-missing-exe")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = try FixtureCompiler.compile("crash_null")
        let binary = "\(directory)/vanishing_program"
        try FileManager.default.copyItem(atPath: original, toPath: binary)
        let core = try CrashCores.produce(command: "exec '\(binary)'", binary: binary, label: "vanishing")
        try FileManager.default.removeItem(atPath: binary)

        let result = try Command.diag(["core", core.path], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("verdict  null-pointer dereference"))
        #expect(result.standardOutput.contains("vanishing_program not found"))
        #expect(result.standardOutput.contains("pass --exe PATH"))

        let withExe = try CoreAnalyzer.analyze(path: core.path, options: .init(executable: original))
        #expect(withExe.threads.first?.frames.first?.function == "store_record_count")
        #expect(withExe.warnings.isEmpty)
        try? FileManager.default.removeItem(atPath: core.directory)
    }

    @Test func aRebuiltExecutableIsFlaggedAsABuildIDMismatch() throws {
        let directory = try FixturePaths.temporaryDirectory("diag-rebuilt-exe")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binary = "\(directory)/rebuilt_program"
        try FileManager.default.copyItem(atPath: try FixtureCompiler.compile("crash_null"), toPath: binary)
        let core = try CrashCores.produce(command: "exec '\(binary)'", binary: binary, label: "rebuilt")
        defer { try? FileManager.default.removeItem(atPath: core.directory) }
        try FileManager.default.removeItem(atPath: binary)
        try FileManager.default.copyItem(atPath: try FixtureCompiler.compile("crash_assert"), toPath: binary)

        let summary = try CoreAnalyzer.analyze(path: core.path)
        let module = try #require(summary.modules.first { $0.path.hasSuffix("rebuilt_program") })
        #expect(module.buildIDMatches == false)
        #expect(summary.warnings.contains { $0.contains("rebuilt_program on disk is another build") })
        #expect(summary.verdict.kind == .nullPointerDereference)
    }
}
