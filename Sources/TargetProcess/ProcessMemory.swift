import Glibc

/// Reads the memory of a running process through /proc/PID/mem (it needs the ptrace access
/// that sampling already checks; the process is not stopped). Every read is whole or
/// nothing: nil when any byte of it is unmapped or the process is gone.
public final class ProcessMemory {
    public let pid: Int32
    /// Reads made so far.
    public private(set) var reads: UInt64 = 0
    private let descriptor: Int32

    public init(pid: Int32) {
        self.pid = pid
        descriptor = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// `count` bytes at `address`, or nil.
    public func read(_ address: UInt64, count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let copied = bytes.withUnsafeMutableBytes { copy(address, into: $0) }
        return copied ? bytes : nil
    }

    public func readU64(_ address: UInt64) -> UInt64? { word(address, as: UInt64.self) }
    public func readU32(_ address: UInt64) -> UInt32? { word(address, as: UInt32.self) }
    public func readU16(_ address: UInt64) -> UInt16? { word(address, as: UInt16.self) }

    private func word<Word: FixedWidthInteger>(_ address: UInt64, as: Word.Type) -> Word? {
        var value = Word.zero
        let copied = withUnsafeMutableBytes(of: &value) { copy(address, into: $0) }
        return copied ? Word(littleEndian: value) : nil
    }

    private func copy(_ address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard descriptor >= 0, address > 0, address < UInt64(Int64.max) - UInt64(buffer.count) else { return false }
        reads += 1
        return pread(descriptor, buffer.baseAddress, buffer.count, off_t(address)) == buffer.count
    }
}
