import CoreDump
import Foundation
import Testing
import TestSupport

/// `diag core` on real kernel cores of crashing C fixtures.
@Suite struct NativeCrashTests {
    @Test func nullDereferenceOnAWorkerThread() throws {
        let core = try CrashCores.native("crash_null")
        let summary = try CoreAnalyzer.analyze(path: core.path)
        let signal = try #require(summary.signal)
        #expect(signal.name == "SIGSEGV")
        #expect(signal.codeName == "SEGV_MAPERR")
        #expect(signal.faultAddress == 0)
        #expect(signal.senderPID == nil)
        #expect(summary.verdict.kind == .nullPointerDereference)
        #expect(summary.verdict.function == "store_record_count")
        #expect(summary.process.threadCount == 4)
        #expect(summary.threads.count == 4)

        let crashing = try #require(summary.threads.first)
        #expect(crashing.isCrashing)
        #expect(crashing.tid == summary.crashingTID)
        #expect(crashing.tid != summary.process.pid)
        let line = try CrashCores.line(of: "/* CRASH-LINE */", inFixture: "crash_null")
        #expect(crashing.frames.first?.function == "store_record_count")
        #expect(crashing.frames.first?.file?.hasSuffix("crash_null.c") == true)
        #expect(crashing.frames.first?.line == line)
        #expect(crashing.frames.dropFirst().first?.function == "crashing_worker")
        #expect(crashing.frames.contains { $0.function == "start_thread" })
        #expect(summary.registers.first { $0.name == "rip" }?.value == crashing.frames.first?.pc)

        // The two waiting workers share one stack; main waits in pthread_join.
        let groups = summary.threadGroups
        #expect(groups.map(\.count) == [2, 1])
        #expect(groups.first?.first?.frames.contains { $0.function == "waiting_worker" } == true)
        #expect(groups.last?.first?.frames.contains { $0.function == "main" } == true)
        #expect(groups.last?.first?.tid == summary.process.pid)
    }

    @Test func processFactsComeFromTheNotes() throws {
        let core = try CrashCores.native("crash_null")
        let summary = try CoreAnalyzer.analyze(path: core.path)
        #expect(summary.process.executable.map(standardized) == core.binary)
        #expect(summary.process.arguments.map(standardized) == [core.binary])
        #expect(summary.process.argumentsSource == "stack")
        #expect(summary.process.uid == getuid())
        #expect(summary.process.gid == getgid())
        #expect(summary.process.name == String(core.binary.split(separator: "/").last!.prefix(15)))
        #expect(summary.file.producer == .kernel)
        #expect(summary.file.isTruncated == false)
        #expect(summary.warnings.isEmpty)
        let main = try #require(summary.modules.first { $0.path == core.binary })
        #expect(main.buildIDMatches == true)
        #expect(main.hasDebugInfo)
        #expect(main.isDeleted == false)
    }

    @Test func failedAssertShowsItsMessage() throws {
        let core = try CrashCores.native("crash_assert")
        let summary = try CoreAnalyzer.analyze(path: core.path)
        #expect(summary.signal?.name == "SIGABRT")
        #expect(summary.signal?.codeName == "SI_TKILL")
        #expect(summary.signal?.senderPID == summary.process.pid)
        #expect(summary.verdict.kind == .assertionFailure)
        let message = try #require(summary.verdict.abortMessage)
        #expect(message.contains("crash_assert.c:10: check_account_balance: Assertion `balance >= 0 && \"balance must not go negative\"' failed."))
        #expect(summary.verdict.function == "check_account_balance")
    }

    @Test func deepRecursionIsAStackOverflow() throws {
        let core = try CrashCores.native("crash_recursion")
        let summary = try CoreAnalyzer.analyze(path: core.path, options: .init(maxFrames: 100))
        #expect(summary.signal?.name == "SIGSEGV")
        #expect(summary.verdict.kind == .stackOverflow)
        #expect(summary.verdict.recursion?.function == "recurse_forever")
        #expect(summary.verdict.recursion?.count == 100)
        #expect(summary.threads.first?.isCutOff == true)
    }

    @Test func recursionOnAThreadHitsItsGuardPage() throws {
        let core = try CrashCores.native("crash_recursion", arguments: ["thread"])
        let summary = try CoreAnalyzer.analyze(path: core.path, options: .init(maxFrames: 64))
        #expect(summary.verdict.kind == .stackOverflow)
        #expect(summary.verdict.recursion?.function == "recurse_forever")
        #expect(summary.threads.count == 2)
        #expect(summary.threads.first?.tid != summary.process.pid)
    }

    @Test func codePagesAreReadFromTheMappedFile() throws {
        // The kernel does not save unmodified file pages: the reader takes them from the
        // file that NT_FILE names, here the code of the crashing function.
        let core = try CrashCores.native("crash_null")
        let file = try MappedFile(path: core.path)
        let layout = try CoreLayout(parsing: file.view, path: core.path)
        let notes = CoreNotes(file: file.view, layout: layout)
        let memory = CoreMemory(file: file.view, layout: layout, fileMappings: notes.fileMappings)
        let pc = try #require(notes.threads.first { $0.currentSignal != 0 }?.instructionPointer)
        let segment = try #require(memory.segment(containing: pc))
        #expect(segment.fileSize == 0)
        let mapping = try #require(notes.fileMappings.first { $0.start <= pc && pc < $0.end })
        let binary = try MappedFile(path: core.binary)
        let offset = mapping.fileOffset + (pc - mapping.start)
        #expect(memory.read(pc, count: 16) == binary.view.slice(offset: offset, count: 16)?.array)
    }

    @Test func doubleFreeIsHeapCorruptionWithMallocsMessage() throws {
        let core = try CrashCores.native("crash_double_free")
        let summary = try CoreAnalyzer.analyze(path: core.path)
        #expect(summary.verdict.kind == .heapCorruption)
        #expect(summary.verdict.abortMessage == "free(): double free detected in tcache 2")
    }
}

/// The path with `//` and `.` components removed, as the kernel records mapped files.
func standardized(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}
