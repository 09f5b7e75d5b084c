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
