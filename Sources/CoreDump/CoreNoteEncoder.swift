/// Builds the ELF notes of a core written from a live process, in the kernel's layouts
/// (x86_64): NT_PRSTATUS, NT_PRPSINFO, NT_AUXV, NT_FILE, NT_FPREGSET, NT_X86_XSTATE, and a
/// "DIAG" note that marks the core as a snapshot.
public struct CoreNoteEncoder {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    enum NoteType {
        static let processStatus: UInt32 = 1
        static let floatingPointRegisters: UInt32 = 2
        static let processInfo: UInt32 = 3
        static let auxiliaryVector: UInt32 = 6
        static let files: UInt32 = 0x4649_4c45
        static let extendedState: UInt32 = 0x202
        /// "DIAG" in ASCII, so that tools that ignore the owner do not mistake it for a core note.
        static let diagMarker: UInt32 = 0x4441_4947
    }

    /// Appends one note: header, owner name and payload, each padded to 4 bytes.
    public mutating func append(owner: String, type: UInt32, payload: [UInt8]) {
        let name = Array(owner.utf8) + [0]
        bytes.appendLittleEndian(UInt32(name.count))
        bytes.appendLittleEndian(UInt32(payload.count))
        bytes.appendLittleEndian(type)
        bytes += name
        bytes.padTo4()
        bytes += payload
        bytes.padTo4()
    }

    /// NT_PRSTATUS: 336 bytes, signal fields zero (nothing crashed).
    public mutating func appendStatus(tid: Int32, parent: Int32, group: Int32, session: Int32, registers: [UInt8],
                                      hasFloatingPoint: Bool) {
        var payload = [UInt8](repeating: 0, count: 336)
        payload.store(tid, at: 32)
        payload.store(parent, at: 36)
        payload.store(group, at: 40)
        payload.store(session, at: 44)
        for (index, byte) in registers.prefix(RegisterNames.x86_64.count * 8).enumerated() { payload[112 + index] = byte }
        payload.store(Int32(hasFloatingPoint ? 1 : 0), at: 328)
        append(owner: "CORE", type: NoteType.processStatus, payload: payload)
    }

    /// NT_PRPSINFO: 136 bytes.
    public mutating func appendProcessInfo(_ info: ProcessInfoNote) {
        var payload = [UInt8](repeating: 0, count: 136)
        let letter = info.state.utf8.first ?? UInt8(ascii: "R")
        let states: [UInt8: UInt8] = [UInt8(ascii: "R"): 0, UInt8(ascii: "S"): 1, UInt8(ascii: "D"): 2,
                                      UInt8(ascii: "T"): 3, UInt8(ascii: "t"): 3, UInt8(ascii: "Z"): 4]
        payload[0] = states[letter] ?? 0
        payload[1] = letter
        payload[2] = letter == UInt8(ascii: "Z") ? 1 : 0
        payload[3] = UInt8(bitPattern: info.nice)
        payload.store(info.uid, at: 16)
        payload.store(info.gid, at: 20)
        payload.store(info.pid, at: 24)
        payload.store(info.parentPID, at: 28)
        payload.store(info.processGroup, at: 32)
        payload.store(info.session, at: 36)
        for (index, byte) in info.name.utf8.prefix(15).enumerated() { payload[40 + index] = byte }
        for (index, byte) in info.arguments.utf8.prefix(79).enumerated() { payload[56 + index] = byte }
        append(owner: "CORE", type: NoteType.processInfo, payload: payload)
    }

    /// NT_FILE: the file-backed mappings with their offsets in pages.
    public mutating func appendFiles(_ mappings: [FileMapping], pageSize: UInt64 = 4096) {
        var payload: [UInt8] = []
        payload.appendLittleEndian(UInt64(mappings.count))
        payload.appendLittleEndian(pageSize)
        for mapping in mappings {
            payload.appendLittleEndian(mapping.start)
            payload.appendLittleEndian(mapping.end)
            payload.appendLittleEndian(mapping.fileOffset / pageSize)
        }
        for mapping in mappings { payload += Array(mapping.path.utf8) + [0] }
        append(owner: "CORE", type: NoteType.files, payload: payload)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func store<Integer: FixedWidthInteger>(_ value: Integer, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { self[offset + index] = byte }
        }
    }

    mutating func padTo4() {
        while count % 4 != 0 { append(0) }
    }
}
