import CoreDump
import Foundation
import Testing
import TestSupport

/// `diag core` keeps uncompressed copies of the debug files it finds by build-id with
/// compressed DWARF (Debian's libc6-dbg) in its cache directory, and reads them instead of
/// decompressing the originals again. Skipped where libc's debug file is not installed or
/// not compressed.
@Suite struct DebugInfoCacheTests {
    private struct DebugFile {
        let buildID: String
        let path: String
    }

    /// libc's separate debug file, when it is installed with compressed DWARF sections.
    private func compressedLibcDebugFile(core: String) throws -> DebugFile? {
        let result = try Command.run(FixturePaths.diagExecutable, ["core", core, "--json"], environment: ["DIAG_CACHE_DIR": ""])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let modules = try #require(json["modules"] as? [[String: Any]])
        guard let libc = modules.first(where: { ($0["path"] as? String)?.hasSuffix("/libc.so.6") == true }),
              let buildID = libc["build_id"] as? String, buildID.count > 2 else { return nil }
        let path = "/usr/lib/debug/.build-id/\(buildID.prefix(2))/\(buildID.dropFirst(2)).debug"
        guard FileManager.default.fileExists(atPath: path), try compressedSections(path) > 0 else { return nil }
        return DebugFile(buildID: buildID, path: path)
    }

    /// The number of sections with SHF_COMPRESSED in the ELF file at `path`.
    private func compressedSections(_ path: String) throws -> Int {
        let file = try MappedFile(path: path)
        let view = file.view
        let offset = try #require(view.u64(at: 40))
        let entrySize = try #require(view.u16(at: 58))
        let count = try #require(view.u16(at: 60))
        return try (0..<UInt64(count)).filter { index in
            try #require(view.u64(at: offset + index * UInt64(entrySize) + 8)) & 0x800 != 0
        }.count
    }

    private func summary(_ core: String, cache: String) throws -> String {
        let result = try Command.run(FixturePaths.diagExecutable, ["core", core], environment: ["DIAG_CACHE_DIR": cache], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        return result.standardOutput
    }

    private func modificationTime(_ path: String) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "diag-debuginfo-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theFirstSummaryMakesAnUncompressedCopyAndTheNextOnesSayTheSame() throws {
        let core = try CrashCores.native("crash_null")
        guard let libc = try compressedLibcDebugFile(core: core.path) else { return }
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let uncached = try summary(core.path, cache: "")
        #expect(uncached.contains("pthread_create.c:"))

        let first = try summary(core.path, cache: cache)
        let copy = "\(cache)/debuginfo/\(libc.buildID).debug"
        #expect(try compressedSections(copy) == 0)
        #expect(try modificationTime(copy) == modificationTime(libc.path))
        let attributes = try FileManager.default.attributesOfItem(atPath: copy)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let directoryAttributes = try FileManager.default.attributesOfItem(atPath: "\(cache)/debuginfo")
        #expect((directoryAttributes[.posixPermissions] as? Int) == 0o700)
        let second = try summary(core.path, cache: cache)
        #expect(first == uncached)
        #expect(second == uncached)
    }

    @Test func theCopyIsWhatIsReadAndAStaleOneIsMadeAgain() throws {
        let core = try CrashCores.native("crash_null")
        guard let libc = try compressedLibcDebugFile(core: core.path) else { return }
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let uncached = try summary(core.path, cache: "")
        // A "copy" without DWARF (the stripped library itself) stamped with the original's
        // time is trusted: libc's frames lose their source lines, which shows it was read.
        let copy = "\(cache)/debuginfo/\(libc.buildID).debug"
        try FileManager.default.createDirectory(atPath: "\(cache)/debuginfo", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let library = try #require(["/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"]
            .first { FileManager.default.fileExists(atPath: $0) })
        try FileManager.default.copyItem(atPath: library, toPath: copy)
        try FileManager.default.setAttributes([.modificationDate: try modificationTime(libc.path)], ofItemAtPath: copy)
        let fromStrippedCopy = try summary(core.path, cache: cache)
        #expect(!fromStrippedCopy.contains("pthread_create.c:"))
        #expect(fromStrippedCopy.contains("store_record_count  crash_null.c:"))

        // Another modification time: the copy is stale and made again from the original.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: copy)
        let remade = try summary(core.path, cache: cache)
        #expect(remade == uncached)
        #expect(try compressedSections(copy) == 0)
        #expect(try modificationTime(copy) == modificationTime(libc.path))
    }

    @Test func aCopyCutShortIsNotReadButMadeAgain() throws {
        let core = try CrashCores.native("crash_null")
        guard let libc = try compressedLibcDebugFile(core: core.path) else { return }
        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let uncached = try summary(core.path, cache: "")
        _ = try summary(core.path, cache: cache)
        let copy = "\(cache)/debuginfo/\(libc.buildID).debug"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int)
        // What a system crash could leave: the copy's name and time, half of its bytes.
        let handle = try #require(FileHandle(forWritingAtPath: copy))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: try modificationTime(libc.path)], ofItemAtPath: copy)
        #expect(try summary(core.path, cache: cache) == uncached)
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int == size)
    }

    @Test func anEmptyCacheDirTurnsTheCacheOff() throws {
        let core = try CrashCores.native("crash_null")
        guard try compressedLibcDebugFile(core: core.path) != nil else { return }
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let result = try Command.run(FixturePaths.diagExecutable, ["core", core.path],
                                     environment: ["DIAG_CACHE_DIR": "", "HOME": home, "XDG_CACHE_HOME": "\(home)/xdg"], timeout: 120)
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
    }

    /// Sets the access and modification times of `path` to `age` seconds ago.
    private func age(_ path: String, by age: Double) {
        let then = Date().addingTimeInterval(-age).timeIntervalSince1970
        let stamp = timespec(tv_sec: Int(then), tv_nsec: 0)
        var times = [stamp, stamp]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    private func accessTime(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_atim.tv_sec : 0
    }

    /// Within DIAG_CACHE_MAX_SIZE, the copies used least recently are removed when a new one
    /// is made, and temporary files an interrupted copy left are cleared; using a copy marks it
    /// as recently used.
    @Test func theCacheKeepsWithinItsLimitDroppingTheLeastRecentlyUsed() throws {
        let core = try CrashCores.native("crash_null")
        guard let libc = try compressedLibcDebugFile(core: core.path) else { return }
        let sizing = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: sizing) }
        _ = try summary(core.path, cache: sizing)
        let copySize = try #require(try FileManager.default.attributesOfItem(atPath: "\(sizing)/debuginfo/\(libc.buildID).debug")[.size] as? Int)

        let cache = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let directory = "\(cache)/debuginfo"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let mebibyte = Data(count: 1 << 20)
        for (name, days) in [("old-3d", 3.0), ("old-2d", 2.0), ("old-1d", 1.0)] {
            let path = "\(directory)/\(name).debug"
            try mebibyte.write(to: URL(fileURLWithPath: path))
            age(path, by: days * 86_400)
        }
        let abandoned = "\(directory)/x.debug.AbCdEf", inProgress = "\(directory)/y.debug.GhIjKl"
        try Data(count: 10).write(to: URL(fileURLWithPath: abandoned))
        age(abandoned, by: 7_200)
        try Data(count: 10).write(to: URL(fileURLWithPath: inProgress))

        // Room for libc's copy and two of the three others, plus half a MiB.
        let limit = copySize + (5 << 19)
        let result = try Command.run(FixturePaths.diagExecutable, ["core", core.path],
                                     environment: ["DIAG_CACHE_DIR": cache, "DIAG_CACHE_MAX_SIZE": String(limit)], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(left == ["\(libc.buildID).debug", "old-2d.debug", "old-1d.debug", "y.debug.GhIjKl"], "\(left)")

        // A cache hit marks the copy as used now.
        let copy = "\(directory)/\(libc.buildID).debug"
        age(copy, by: 10 * 86_400)
        try FileManager.default.setAttributes([.modificationDate: try modificationTime(libc.path)], ofItemAtPath: copy)
        _ = try summary(core.path, cache: cache)
        #expect(abs(accessTime(copy) - Int(Date().timeIntervalSince1970)) < 120)
        #expect(try modificationTime(copy) == modificationTime(libc.path))
    }
}
