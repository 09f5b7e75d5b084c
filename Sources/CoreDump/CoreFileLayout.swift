/// Where things go in a core diag writes: ELF header, program headers (PT_NOTE first, then
/// one PT_LOAD per mapping), an extra section header when there are 65535 or more segments
/// (PN_XNUM), the notes, then the memory from a page boundary on.
struct FileLayout {
    static let headerSize: UInt64 = 64
    static let programHeaderSize: UInt64 = 56
    static let sectionHeaderSize: UInt64 = 64
    static let extendedNumbering = 0xffff

    let segmentCount: Int
    let usesExtendedNumbering: Bool
    let notesOffset: UInt64
    let dataOffset: UInt64

    init(noteSize: UInt64, regions: [DumpSelection.Region]) {
        segmentCount = regions.count + 1
        usesExtendedNumbering = segmentCount >= FileLayout.extendedNumbering
        let headers = FileLayout.headerSize + UInt64(segmentCount) * FileLayout.programHeaderSize
        notesOffset = headers + (usesExtendedNumbering ? FileLayout.sectionHeaderSize : 0)
        dataOffset = (notesOffset + noteSize + LiveCoreWriter.pageSize - 1) / LiveCoreWriter.pageSize * LiveCoreWriter.pageSize
    }

    /// The ELF header, the program headers and (with PN_XNUM) section header 0.
    func header(regions: [DumpSelection.Region], noteSize: UInt64) -> [UInt8] {
        var bytes: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        let sectionOffset = FileLayout.headerSize + UInt64(segmentCount) * FileLayout.programHeaderSize
        bytes.appendLittleEndian(UInt16(4))  // ET_CORE
        bytes.appendLittleEndian(UInt16(62))  // EM_X86_64
        bytes.appendLittleEndian(UInt32(1))
        bytes.appendLittleEndian(UInt64(0))  // entry
        bytes.appendLittleEndian(FileLayout.headerSize)  // program headers
        bytes.appendLittleEndian(usesExtendedNumbering ? sectionOffset : 0)
        bytes.appendLittleEndian(UInt32(0))  // flags
        bytes.appendLittleEndian(UInt16(FileLayout.headerSize))
        bytes.appendLittleEndian(UInt16(FileLayout.programHeaderSize))
        bytes.appendLittleEndian(UInt16(usesExtendedNumbering ? FileLayout.extendedNumbering : segmentCount))
        bytes.appendLittleEndian(UInt16(usesExtendedNumbering ? FileLayout.sectionHeaderSize : 0))
        bytes.appendLittleEndian(UInt16(usesExtendedNumbering ? 1 : 0))
        bytes.appendLittleEndian(UInt16(0))

        appendSegment(&bytes, type: CoreLayout.noteSegment, flags: 0, offset: notesOffset, address: 0,
                      fileSize: noteSize, memorySize: 0, alignment: 4)
        var offset = dataOffset
        for region in regions {
            let permissions = Array(region.mapping.permissions)
            var flags: UInt32 = 0
            if permissions.first == "r" { flags |= 4 }
            if permissions.count > 1 && permissions[1] == "w" { flags |= 2 }
            if permissions.count > 2 && permissions[2] == "x" { flags |= 1 }
            appendSegment(&bytes, type: CoreLayout.loadSegment, flags: flags, offset: offset, address: region.mapping.start,
                          fileSize: region.dumpedSize, memorySize: region.mapping.end - region.mapping.start,
                          alignment: LiveCoreWriter.pageSize)
            offset += region.dumpedSize
        }
        if usesExtendedNumbering {
            var section = [UInt8](repeating: 0, count: Int(FileLayout.sectionHeaderSize))
            section.store(UInt32(segmentCount), at: 44)  // sh_info: the real segment count
            bytes += section
        }
        return bytes
    }

    private func appendSegment(_ bytes: inout [UInt8], type: UInt32, flags: UInt32, offset: UInt64, address: UInt64,
                               fileSize: UInt64, memorySize: UInt64, alignment: UInt64) {
        bytes.appendLittleEndian(type)
        bytes.appendLittleEndian(flags)
        bytes.appendLittleEndian(offset)
        bytes.appendLittleEndian(address)
        bytes.appendLittleEndian(UInt64(0))
        bytes.appendLittleEndian(fileSize)
        bytes.appendLittleEndian(memorySize)
        bytes.appendLittleEndian(alignment)
    }
}
