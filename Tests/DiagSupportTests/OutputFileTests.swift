import DiagSupport
import Foundation
import Testing

@Suite struct OutputFileTests {
    let directory = NSTemporaryDirectory() + "/diag-output-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test func committedFilesAreOwnerOnly() throws {
        let path = "\(directory)/out.json"
        try OutputFile.write("{}", to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
    }

    @Test func discardedFilesLeaveNothing() throws {
        let path = "\(directory)/partial.json"
        let file = try OutputFile(path: path)
        try file.write("half")
        file.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func refusesToWriteThroughASymlink() throws {
        let victim = "\(directory)/victim"
        try "keep".write(toFile: victim, atomically: true, encoding: .utf8)
        let link = "\(directory)/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        #expect(throws: DiagError.self) { try OutputFile.write("overwritten", to: link) }
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
    }
}

/// The O_TMPFILE path, default-name suffixes and the removal of temporaries of dead runs.
@Suite struct OutputFileNamingTests {
    let directory = NSTemporaryDirectory() + "/diag-output-\(UUID().uuidString)"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test func nothingIsVisibleBeforeCommit() throws {
        let file = try OutputFile(path: "\(directory)/out.core")
        try file.write("data")
        try file.writeZeros(count: 1 << 20)
        // ext4, tmpfs, xfs and btrfs give an unnamed file: no name at all until commit.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        try file.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.core"])
        let size = try FileManager.default.attributesOfItem(atPath: "\(directory)/out.core")[.size] as? Int
        #expect(size == 4 + (1 << 20))
    }

    @Test func anExistingFileIsRefusedAndKept() throws {
        let path = "\(directory)/taken.json"
        try "keep".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: DiagError.self) { try OutputFile.write("new", to: path) }
        #expect(error?.message == "\(path) already exists; diag does not overwrite files")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
    }

    @Test func aDefaultNameTakenMeanwhileGetsTheNextNumber() throws {
        let path = "\(directory)/cpu-spin-42-20261207-051500.cpuprofile"
        let first = try OutputFile(path: path, uniqueName: true)
        let second = try OutputFile(path: path, uniqueName: true)
        try first.write("1")
        try second.write("2")
        try first.commit()
        try second.commit()
        #expect(first.displayPath == path)
        #expect(second.displayPath == "\(directory)/cpu-spin-42-20261207-051500-2.cpuprofile")
        #expect(try String(contentsOfFile: second.displayPath, encoding: .utf8) == "2")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1")
    }

    @Test func temporariesOfDeadRunsAreRemovedOthersKept() throws {
        // A PID that certainly ended: a child that was reaped.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let child = process.processIdentifier
        let stale = "\(directory)/old.core.tmp-\(child)"
        let living = "\(directory)/busy.core.tmp-\(getpid())"
        let unrelated = "\(directory)/notes.tmp-draft"
        for path in [stale, living, unrelated] { try "x".write(toFile: path, atomically: false, encoding: .utf8) }
        try OutputFile.write("{}", to: "\(directory)/new.json")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["busy.core.tmp-\(getpid())", "notes.tmp-draft", "new.json"])
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        try OutputFile.write("discarded", to: "/dev/null")
        var status = stat()
        #expect(lstat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
    }
}
