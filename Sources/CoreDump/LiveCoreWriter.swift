import DiagSupport
import Glibc
import TargetProcess

/// Writes an ELF core of a live process, which keeps running: `diag gcore`. Every thread is
/// seized and stopped, the registers and the memory that coredump_filter selects are copied
/// into the file, then every thread is detached and runs again — on every path, including
/// errors and Ctrl-C. The result opens in gdb, eu-stack and `diag core`.
public enum LiveCoreWriter {
    /// What was written.
    public struct Result: Sendable {
        public var bytes: UInt64
        public var threads: Int
        public var mappings: Int
        public var dumpedMappings: Int
        /// How long the threads were stopped, in seconds.
        public var stoppedSeconds: Double
        /// Bytes selected for the core that could not be read (written as zeros).
        public var unreadableBytes: UInt64
    }

    static let pageSize: UInt64 = 4096
    static let copyChunk = 1 << 20

    /// Writes the core of `pid` into `output` (not committed: the caller commits). `progress`
    /// receives bytes copied and bytes to copy; `shouldStop` is polled between chunks.
    public static func write(pid: Int32, to output: OutputFile, progress: (UInt64, UInt64) -> Void,
                             shouldStop: () -> Bool) throws -> Result {
        let target = try TargetProcess(pid: pid)
        let started = MonotonicClock.seconds()
        let freeze = try ProcessFreeze(pid: pid)
        defer { freeze.release() }
        let registers = freeze.threads.compactMap { try? ThreadRegisters.read(tid: $0.tid) }
        guard registers.first?.tid == pid else {
            throw DiagError(.failure, "cannot read the registers of process \(pid)")
        }
        let selection = DumpSelection.read(pid: pid)
        let notes = buildNotes(target: target, registers: registers, selection: selection)
        let layout = FileLayout(noteSize: UInt64(notes.count), regions: selection.regions)
        try output.write(bytes: layout.header(regions: selection.regions, noteSize: UInt64(notes.count)))
        try output.write(bytes: notes)
        try output.write(bytes: [UInt8](repeating: 0, count: Int(layout.dataOffset - layout.notesOffset) - notes.count))

        let memory = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        guard memory >= 0 else { throw DiagError.system("cannot read the memory of process \(pid)", errno: errno) }
        defer { close(memory) }
        var copied: UInt64 = 0
        var unreadable: UInt64 = 0
        let total = selection.dumpedBytes
        var buffer = [UInt8](repeating: 0, count: copyChunk)
        let segments = selection.regions.filter { $0.dumpedSize > 0 }.count
        var segmentsCopied = 0
        for region in selection.regions where region.dumpedSize > 0 {
            var address = region.mapping.start
            let end = region.mapping.start + region.dumpedSize
            while address < end {
                if shouldStop() { throw StopRequest.stoppedError("interrupted: no core was written") }
                let count = Int(min(UInt64(copyChunk), end - address))
                let missing = readMemory(memory, address: address, into: &buffer, count: count)
                if missing > 0 && !isAlive(pid) {
                    throw DiagError(.failure, "process \(pid) ended during the copy after \(copied) of \(total) bytes "
                                    + "(\(segmentsCopied) of \(segments) segments); no core was written")
                }
                unreadable += missing
                try writeSparse(buffer[0..<count], to: output)
                address += UInt64(count)
                copied += UInt64(count)
                progress(copied, total)
            }
            segmentsCopied += 1
        }
        // A stop that arrives during the last chunk must still count: no core.
        if shouldStop() { throw StopRequest.stoppedError("interrupted: no core was written") }
        freeze.release()
        return Result(bytes: layout.dataOffset + total, threads: registers.count, mappings: selection.regions.count,
                      dumpedMappings: selection.regions.filter { $0.dumpedSize > 0 }.count,
                      stoppedSeconds: MonotonicClock.seconds() - started, unreadableBytes: unreadable)
    }

    /// False once `pid` has exited or is a zombie: its memory reads then fail for good.
    private static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        let state = ProcessStat.read(pid: pid).state
        return state != "Z" && state != "X"
    }

    /// Writes whole pages of zeros as holes, the rest as data.
    private static func writeSparse(_ bytes: ArraySlice<UInt8>, to output: OutputFile) throws {
        let page = Int(pageSize)
        var start = bytes.startIndex
        var zeroRun = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let end = min(index + page, bytes.endIndex)
            let isZero = end - index == page && bytes[index..<end].withUnsafeBytes { raw in
                raw.withMemoryRebound(to: UInt64.self) { words in !words.contains { $0 != 0 } }
            }
            if isZero {
                if zeroRun == 0, start < index { try output.write(bytes: bytes[start..<index]) }
                zeroRun += page
            } else if zeroRun > 0 {
                try output.writeZeros(count: zeroRun)
                zeroRun = 0
                start = index
            }
            index = end
        }
        if zeroRun > 0 { try output.writeZeros(count: zeroRun) } else if start < bytes.endIndex { try output.write(bytes: bytes[start...]) }
    }

    /// Reads `count` bytes; pages that cannot be read become zeros. Returns the unreadable byte count.
    private static func readMemory(_ fd: Int32, address: UInt64, into buffer: inout [UInt8], count: Int) -> UInt64 {
        let whole = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(Int64(bitPattern: address))) }
        if whole == count { return 0 }
        var unreadable: UInt64 = 0
        var offset = 0
        while offset < count {
            let step = min(Int(pageSize), count - offset)
            let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + offset, step, off_t(Int64(bitPattern: address + UInt64(offset)))) }
            if read != step {
                buffer.withUnsafeMutableBytes { _ = memset($0.baseAddress! + offset, 0, step) }
                unreadable += UInt64(step)
            }
            offset += step
        }
        return unreadable
    }

    private static func buildNotes(target: TargetProcess, registers: [ThreadRegisters], selection: DumpSelection) -> [UInt8] {
        let stat = ProcessStat.read(pid: target.pid)
        var encoder = CoreNoteEncoder()
        for (index, thread) in registers.enumerated() {
            encoder.appendStatus(tid: thread.tid, parent: target.status.parentPID, group: stat.processGroup,
                                 session: stat.session, registers: thread.general, hasFloatingPoint: thread.floatingPoint != nil)
            if index == 0 {
                encoder.appendProcessInfo(ProcessInfoNote(
                    state: stat.state, nice: stat.nice, uid: target.status.realUID, gid: target.status.realGID,
                    pid: target.pid, parentPID: target.status.parentPID, processGroup: stat.processGroup,
                    session: stat.session, name: target.name, arguments: target.commandLine.joined(separator: " ")))
                if let auxv = ProcFiles.read("/proc/\(target.pid)/auxv") {
                    encoder.append(owner: "CORE", type: CoreNoteEncoder.NoteType.auxiliaryVector, payload: auxv)
                }
                let files = selection.regions.map(\.mapping).filter { $0.isFileBacked }.map {
                    FileMapping(start: $0.start, end: $0.end, fileOffset: $0.offset, path: $0.path)
                }
                encoder.appendFiles(files)
            }
            if let floatingPoint = thread.floatingPoint {
                encoder.append(owner: "CORE", type: CoreNoteEncoder.NoteType.floatingPointRegisters, payload: floatingPoint)
            }
            if let extended = thread.extendedState {
                encoder.append(owner: "LINUX", type: CoreNoteEncoder.NoteType.extendedState, payload: extended)
            }
        }
        encoder.append(owner: "DIAG", type: CoreNoteEncoder.NoteType.diagMarker,
                       payload: Array("diag gcore: snapshot of a running process".utf8) + [0])
        return encoder.bytes
    }
}

/// The few fields of /proc/PID/stat that NT_PRPSINFO needs.
struct ProcessStat {
    var state = "R"
    var processGroup: Int32 = 0
    var session: Int32 = 0
    var nice: Int8 = 0

    static func read(pid: Int32) -> ProcessStat {
        var stat = ProcessStat()
        guard let text = ProcFiles.readText("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return stat }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); pgrp is field 5, session 6, nice 19.
        guard fields.count > 16 else { return stat }
        stat.state = String(fields[0])
        stat.processGroup = Int32(fields[2]) ?? 0
        stat.session = Int32(fields[3]) ?? 0
        stat.nice = Int8(fields[16]) ?? 0
        return stat
    }
}
