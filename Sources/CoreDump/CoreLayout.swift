import DiagSupport

/// One program header of an ELF file.
public struct ProgramSegment: Sendable, Equatable {
    public var type: UInt32
    public var flags: UInt32
    public var offset: UInt64
    public var virtualAddress: UInt64
    public var fileSize: UInt64
    public var memorySize: UInt64

    public var isReadable: Bool { flags & 4 != 0 }
    public var isWritable: Bool { flags & 2 != 0 }
    public var end: UInt64 { virtualAddress &+ memorySize }

    public func contains(_ address: UInt64) -> Bool {
        address >= virtualAddress && address - virtualAddress < memorySize
    }
}

/// The ELF header and program headers of a core file, validated: an x86_64 little-endian
/// ELF core whose program header table lies inside the file. Section header 0 gives the
/// segment count when there are 65535 or more (PN_XNUM).
public struct CoreLayout: Sendable {
    public static let loadSegment: UInt32 = 1
    public static let noteSegment: UInt32 = 4

    public let fileSize: UInt64
    public let segments: [ProgramSegment]
    /// True when the file has more than the one section header PN_XNUM needs: gdb writes
    /// section headers into its cores, the kernel does not.
    public let hasSectionHeaders: Bool

    /// The memory segments (PT_LOAD) in address order.
    public var loadSegments: [ProgramSegment] {
        segments.filter { $0.type == CoreLayout.loadSegment }.sorted { $0.virtualAddress < $1.virtualAddress }
    }

    /// The size the file must have to hold every segment it announces.
    public var expectedFileSize: UInt64 {
        segments.reduce(0) { size, segment in
            let end = segment.offset.addingReportingOverflow(segment.fileSize)
            return max(size, end.overflow ? UInt64.max : end.partialValue)
        }
    }

    /// True when the file ends before the data its headers announce (a cut-off core).
    public var isTruncated: Bool { fileSize < expectedFileSize }

    /// Parses the headers of `file`; `path` only names the file in errors.
    public init(parsing file: ByteView, path: String) throws {
        fileSize = UInt64(file.count)
        guard file.count > 0 else {
            throw DiagError(.failure, "\(path) is empty (0 bytes): the core was not written",
                            hint: "check the core size limit (ulimit -c) and /proc/sys/kernel/core_pattern")
        }
        guard file.count >= 4, file.u32(at: 0) == 0x464c_457f else {
            if let format = CoreLayout.compressionFormat(file) {
                throw DiagError(.failure, "\(path) is a \(format.name)-compressed file, not an ELF core",
                                hint: "decompress it first: \(format.command) (systemd stores cores compressed; coredumpctl dump writes them out)")
            }
            throw DiagError(.failure, "\(path) is not an ELF core file")
        }
        guard file.count >= 64 else {
            throw DiagError(.failure, "\(path) is truncated: it ends inside the ELF header (\(file.count) bytes)")
        }
        guard file.u8(at: 4) == 2, file.u8(at: 5) == 1 else {
            throw DiagError(.unsupportedTarget, "\(path) is not a 64-bit little-endian ELF file; diag reads x86_64 cores")
        }
        let type = file.u16(at: 16) ?? 0
        guard type == 4 else {
            let kind = [1: "a relocatable object", 2: "an executable", 3: "a shared object or PIE executable"][Int(type)] ?? "an ELF file"
            throw DiagError(.failure, "\(path) is \(kind), not a core file",
                            hint: "pass the core file first; give the executable with --exe")
        }
        guard file.u16(at: 18) == 62 else {
            throw DiagError(.unsupportedTarget, "\(path) is a core of another architecture (e_machine \(file.u16(at: 18) ?? 0)); diag reads x86_64 cores")
        }
        let headerOffset = file.u64(at: 32) ?? 0
        let entrySize = UInt64(file.u16(at: 54) ?? 0)
        var count = UInt64(file.u16(at: 56) ?? 0)
        // PN_XNUM: sh_info of section header 0 holds the count (an offset near 2^64 is no header).
        if count == 0xffff, let sectionOffset = file.u64(at: 40) {
            let (field, overflow) = sectionOffset.addingReportingOverflow(44)
            if !overflow, let extended = file.u32(at: field) { count = UInt64(extended) }
        }
        guard entrySize >= 56 || count == 0 else {
            throw DiagError(.failure, "\(path) has a malformed program header table (entry size \(entrySize))")
        }
        let tableSize = count.multipliedReportingOverflow(by: entrySize)
        guard !tableSize.overflow, file.contains(offset: headerOffset, count: tableSize.partialValue) else {
            throw DiagError(.failure, "\(path) is truncated: its program headers (\(count) at offset \(headerOffset)) lie beyond the end of the file (\(file.count) bytes)")
        }
        hasSectionHeaders = (file.u64(at: 40) ?? 0) != 0 && (file.u16(at: 60) ?? 0) > 1
        var segments: [ProgramSegment] = []
        segments.reserveCapacity(Int(count))
        for index in 0..<count {
            let at = headerOffset + index * entrySize
            segments.append(ProgramSegment(
                type: file.u32(at: at) ?? 0, flags: file.u32(at: at + 4) ?? 0,
                offset: file.u64(at: at + 8) ?? 0, virtualAddress: file.u64(at: at + 16) ?? 0,
                fileSize: file.u64(at: at + 32) ?? 0, memorySize: file.u64(at: at + 40) ?? 0))
        }
        self.segments = segments
    }

    /// The compression format of a file from its magic bytes (systemd-coredump stores cores
    /// compressed with zstd, lz4 or xz).
    static func compressionFormat(_ file: ByteView) -> (name: String, command: String)? {
        let magic = (0..<6).compactMap { file.u8(at: UInt64($0)) }
        if magic.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return ("zstd", "zstd -d FILE") }
        if magic.starts(with: [0x04, 0x22, 0x4d, 0x18]) { return ("lz4", "lz4 -d FILE") }
        if magic.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return ("xz", "xz -d FILE") }
        return nil
    }
}
