/// The process facts in a core's PT_NOTE segments, parsed by diag (libdwfl does not expose
/// them): one status per thread, the process info, the signal, the auxiliary vector and the
/// file mappings. Malformed or cut-off notes are skipped, never trusted.
public struct CoreNotes: Sendable {
    public var threads: [ThreadStatus] = []
    public var processInfo: ProcessInfoNote?
    public var signal: SignalInfo?
    /// (key, value) pairs in the order of the NT_AUXV note.
    public var auxiliaryVector: [(key: UInt64, value: UInt64)] = []
    public var fileMappings: [FileMapping] = []
    /// The threads that have an NT_FPREGSET note (used to check the cores diag writes).
    public var floatingPointThreads: Set<Int32> = []
    /// The text of a note owned by "DIAG": present in cores written by `diag gcore`.
    public var diagMarker: String?
    /// True when a note header or payload ran past the end of its segment or of the file.
    public var isIncomplete = false

    enum NoteType {
        static let processStatus: UInt32 = 1
        static let floatingPointRegisters: UInt32 = 2
        static let processInfo: UInt32 = 3
        static let auxiliaryVector: UInt32 = 6
        static let signalInfo: UInt32 = 0x5349_4749
        static let files: UInt32 = 0x4649_4c45
    }

    public init() {}

    /// Parses every PT_NOTE segment of `layout` in `file`.
    public init(file: ByteView, layout: CoreLayout) {
        for segment in layout.segments where segment.type == CoreLayout.noteSegment {
            let available = segment.offset < UInt64(file.count) ? min(segment.fileSize, UInt64(file.count) - segment.offset) : 0
            if available < segment.fileSize { isIncomplete = true }
            guard available > 0, let notes = file.slice(offset: segment.offset, count: available) else { continue }
            parseNotes(notes)
        }
    }

    public func auxiliaryValue(_ key: UInt64) -> UInt64? {
        auxiliaryVector.first { $0.key == key }?.value
    }

    private mutating func parseNotes(_ notes: ByteView) {
        var offset: UInt64 = 0
        let total = UInt64(notes.count)
        while offset + 12 <= total {
            guard let nameSize = notes.u32(at: offset), let descriptionSize = notes.u32(at: offset + 4),
                  let type = notes.u32(at: offset + 8) else { break }
            let nameStart = offset + 12
            let descriptionStart = nameStart + aligned4(UInt64(nameSize))
            let next = descriptionStart + aligned4(UInt64(descriptionSize))
            guard let name = notes.slice(offset: nameStart, count: UInt64(nameSize)),
                  let description = notes.slice(offset: descriptionStart, count: UInt64(descriptionSize)) else {
                isIncomplete = true
                break
            }
            let owner = name.string(at: 0, maxLength: UInt64(nameSize)) ?? ""
            if owner == "CORE" {
                parseCoreNote(type: type, description)
            } else if owner == "DIAG" {
                diagMarker = description.string(at: 0, maxLength: UInt64(description.count)) ?? ""
            }
            offset = next
        }
    }

    private mutating func parseCoreNote(type: UInt32, _ note: ByteView) {
        switch type {
        case NoteType.processStatus:
            if let status = CoreNotes.threadStatus(note) { threads.append(status) }
        case NoteType.floatingPointRegisters:
            if let last = threads.last { floatingPointThreads.insert(last.tid) }
        case NoteType.processInfo:
            if processInfo == nil { processInfo = CoreNotes.processInfo(note) }
        case NoteType.signalInfo:
            if signal == nil { signal = CoreNotes.signalInfo(note) }
        case NoteType.auxiliaryVector:
            if auxiliaryVector.isEmpty { auxiliaryVector = CoreNotes.auxiliaryVector(note) }
        case NoteType.files:
            if fileMappings.isEmpty { fileMappings = CoreNotes.fileMappings(note) }
        default:
            break
        }
    }

    static func threadStatus(_ note: ByteView) -> ThreadStatus? {
        let registerCount = RegisterNames.x86_64.count
        guard note.count >= 112 + registerCount * 8, let tid = note.i32(at: 32) else { return nil }
        let registers = (0..<registerCount).map { note.u64(at: 112 + UInt64($0) * 8) ?? 0 }
        return ThreadStatus(tid: tid, parentPID: note.i32(at: 36) ?? 0,
                            currentSignal: Int32(note.u16(at: 12) ?? 0), registers: registers)
    }

    static func processInfo(_ note: ByteView) -> ProcessInfoNote? {
        guard note.count >= 136 else { return nil }
        let stateLetter = note.u8(at: 1).map { $0 >= 0x20 && $0 < 0x7f ? String(UnicodeScalar($0)) : "?" } ?? "?"
        return ProcessInfoNote(
            state: stateLetter, nice: Int8(bitPattern: note.u8(at: 3) ?? 0),
            uid: note.u32(at: 16) ?? 0, gid: note.u32(at: 20) ?? 0,
            pid: note.i32(at: 24) ?? 0, parentPID: note.i32(at: 28) ?? 0,
            processGroup: note.i32(at: 32) ?? 0, session: note.i32(at: 36) ?? 0,
            name: note.string(at: 40, maxLength: 16) ?? "",
            arguments: (note.string(at: 56, maxLength: 80) ?? "").trimmingTrailingSpaces())
    }

    static func signalInfo(_ note: ByteView) -> SignalInfo? {
        guard note.count >= 24, let number = note.i32(at: 0), let code = note.i32(at: 8) else { return nil }
        var info = SignalInfo(number: number, errorNumber: note.i32(at: 4) ?? 0, code: code)
        let isCPUFault = code > 0 && (code != SignalDescription.Code.kernel || number == SignalDescription.segmentationFault)
        if isCPUFault && SignalDescription.hasFaultAddress(number) {
            info.faultAddress = note.u64(at: 16)
        } else if code <= 0 {
            info.senderPID = note.i32(at: 16)
            info.senderUID = note.u32(at: 20)
        }
        return info
    }

    static func auxiliaryVector(_ note: ByteView) -> [(key: UInt64, value: UInt64)] {
        var entries: [(key: UInt64, value: UInt64)] = []
        var offset: UInt64 = 0
        while let key = note.u64(at: offset), let value = note.u64(at: offset + 8), key != 0 {
            entries.append((key, value))
            offset += 16
        }
        return entries
    }

    static func fileMappings(_ note: ByteView) -> [FileMapping] {
        guard let count = note.u64(at: 0), let pageSize = note.u64(at: 8),
              count < UInt64(note.count) / 24, pageSize > 0 else { return [] }
        var names = 16 + count * 24
        var mappings: [FileMapping] = []
        for index in 0..<count {
            let entry = 16 + index * 24
            guard let start = note.u64(at: entry), let end = note.u64(at: entry + 8),
                  let pages = note.u64(at: entry + 16), names < UInt64(note.count),
                  let path = note.string(at: names, maxLength: UInt64(note.count) - names) else { break }
            names += note.lengthOfCString(at: names) + 1
            let offset = pages.multipliedReportingOverflow(by: pageSize)
            mappings.append(FileMapping(start: start, end: end, fileOffset: offset.overflow ? 0 : offset.partialValue, path: path))
        }
        return mappings
    }
}

private func aligned4(_ value: UInt64) -> UInt64 { (value + 3) & ~3 }

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
