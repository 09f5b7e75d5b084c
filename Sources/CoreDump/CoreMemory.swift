/// Reads the memory of the crashed process from its core: the bytes a PT_LOAD segment
/// saved, or, for pages the kernel did not dump (read-only file mappings such as code and
/// constant data), the file that backed them according to the NT_FILE note. Reads that
/// neither can satisfy return nil: memory that was never saved.
public final class CoreMemory {
    private let file: ByteView
    private let segments: [ProgramSegment]
    private let fileMappings: [FileMapping]
    private var backingFiles: [String: MappedFile?] = [:]

    /// `file` must stay valid as long as this reader lives (it is the mapped core).
    public init(file: ByteView, layout: CoreLayout, fileMappings: [FileMapping]) {
        self.file = file
        segments = layout.loadSegments
        self.fileMappings = fileMappings.sorted { $0.start < $1.start }
    }

    /// The segment that covers `address`, if any.
    public func segment(containing address: UInt64) -> ProgramSegment? {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].end <= address { low = middle + 1 } else { high = middle }
        }
        guard low < segments.count, segments[low].contains(address) else { return nil }
        return segments[low]
    }

    /// `count` bytes at `address`, or nil when any of them was not saved.
    public func read(_ address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, count <= 1 << 24 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var cursor = address
        var remaining = UInt64(count)
        while remaining > 0 {
            guard let piece = readContiguous(cursor, limit: remaining), !piece.isEmpty else { return nil }
            result.append(contentsOf: piece)
            cursor &+= UInt64(piece.count)
            remaining -= UInt64(piece.count)
        }
        return result
    }

    public func readU64(_ address: UInt64) -> UInt64? {
        guard let bytes = read(address, count: 8) else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    public func readU32(_ address: UInt64) -> UInt32? {
        guard let bytes = read(address, count: 4) else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    public func readU8(_ address: UInt64) -> UInt8? {
        read(address, count: 1)?.first
    }

    public func readU16(_ address: UInt64) -> UInt16? {
        guard let bytes = read(address, count: 2) else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
    }

    /// A NUL-terminated string of at most `maxLength` bytes, read in small steps so that it
    /// may end just before unsaved memory.
    public func readCString(_ address: UInt64, maxLength: Int = 4096) -> String? {
        var bytes: [UInt8] = []
        var cursor = address
        while bytes.count < maxLength {
            let step = min(64, maxLength - bytes.count)
            guard let chunk = read(cursor, count: step) ?? read(cursor, count: 1) else {
                return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
            }
            if let end = chunk.firstIndex(of: 0) {
                bytes.append(contentsOf: chunk[..<end])
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.append(contentsOf: chunk)
            cursor &+= UInt64(chunk.count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes from `address` to the end of whatever saved piece holds it, at most `limit`.
    private func readContiguous(_ address: UInt64, limit: UInt64) -> ArraySlice<UInt8>? {
        guard let segment = segment(containing: address) else { return nil }
        let inSegment = address - segment.virtualAddress
        if inSegment < segment.fileSize {
            let fileOffset = segment.offset.addingReportingOverflow(inSegment)
            let available = min(limit, segment.fileSize - inSegment)
            if !fileOffset.overflow, fileOffset.partialValue < UInt64(file.count) {
                let count = min(available, UInt64(file.count) - fileOffset.partialValue)
                return file.slice(offset: fileOffset.partialValue, count: count).map { ArraySlice($0.array) }
            }
        }
        return readBackingFile(address, limit: min(limit, segment.memorySize - inSegment))
    }

    private func readBackingFile(_ address: UInt64, limit: UInt64) -> ArraySlice<UInt8>? {
        guard let mapping = fileMappings.first(where: { address >= $0.start && address < $0.end }),
              let backing = backingFile(mapping.filePath) else { return nil }
        let offset = mapping.fileOffset.addingReportingOverflow(address - mapping.start)
        guard !offset.overflow, offset.partialValue < backing.size else { return nil }
        let count = min(limit, mapping.end - address, backing.size - offset.partialValue)
        return backing.view.slice(offset: offset.partialValue, count: count).map { ArraySlice($0.array) }
    }

    private func backingFile(_ path: String) -> MappedFile? {
        if let known = backingFiles[path] { return known }
        let opened = try? MappedFile(path: path)
        backingFiles[path] = .some(opened)
        return opened
    }

    /// The segments the core saved bytes for, by address.
    public var savedSegments: [ProgramSegment] { segments.filter { $0.fileSize > 0 } }

    /// The saved bytes from `address` to `address + count`, without copying, when one
    /// segment holds them all in the core file (no backing-file fallback).
    public func savedBytes(_ address: UInt64, count: UInt64) -> ByteView? {
        guard let segment = segment(containing: address) else { return nil }
        let inSegment = address - segment.virtualAddress
        guard inSegment <= segment.fileSize, count <= segment.fileSize - inSegment else { return nil }
        let offset = segment.offset.addingReportingOverflow(inSegment)
        guard !offset.overflow else { return nil }
        return file.slice(offset: offset.partialValue, count: count)
    }

    /// Bytes the process had mapped (PT_LOAD memory sizes) and bytes the core saved.
    public var mappedBytes: UInt64 { segments.reduce(0) { $0 &+ $1.memorySize } }
    public var savedBytes: UInt64 { segments.reduce(0) { $0 &+ $1.fileSize } }
}
