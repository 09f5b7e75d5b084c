import DiagSupport
#if canImport(Glibc)
import Glibc
#endif

/// An unnamed temporary file (made 0600 in `$TMPDIR` or /var/tmp, unlinked at once) that holds
/// arrays while a phase that does not need them runs, so they are not resident at its peak:
/// the kernel keeps their pages in its reclaimable page cache or writes them out. When the
/// file cannot be made or written, arrays simply stay in memory.
final class SpillFile {
    private var descriptor: Int32 = -1
    private var end = 0

    init() {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/var/tmp"
        var template = Array("\(directory)/diag-spill-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor >= 0 { _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) } }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// An array moved out to the file, or kept in memory when writing it failed.
    struct Parked<Element: BitwiseCopyable> {
        fileprivate var kept: [Element]
        fileprivate let offset: Int
        fileprivate let count: Int
    }

    /// Moves `array` out to the file, leaving it empty; `restore` brings it back.
    func park<Element: BitwiseCopyable>(_ array: inout [Element]) -> Parked<Element> {
        let offset = end
        let written = array.withUnsafeBytes { transfer($0.baseAddress, $0.count, at: offset) { pwrite(descriptor, $0, $1, $2) } }
        guard written else { return Parked(kept: array, offset: -1, count: array.count) }
        end += array.count * MemoryLayout<Element>.stride
        let count = array.count
        array = []
        return Parked(kept: [], offset: offset, count: count)
    }

    /// The array `park` moved out.
    func restore<Element: BitwiseCopyable>(_ parked: Parked<Element>) -> [Element] {
        guard parked.offset >= 0 else { return parked.kept }
        return [Element](unsafeUninitializedCapacity: parked.count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            let read = transfer(bytes.baseAddress, bytes.count, at: parked.offset) { pread(descriptor, UnsafeMutableRawPointer(mutating: $0), $1, $2) }
            if !read { Self.exitAfterLostData() }
            initialized = parked.count
        }
    }

    /// Element `index` of a parked array, read alone (for the few a report needs).
    func element<Element: BitwiseCopyable>(_ parked: Parked<Element>, at index: Int) -> Element {
        precondition(index >= 0 && index < parked.count)
        guard parked.offset >= 0 else { return parked.kept[index] }
        return withUnsafeTemporaryAllocation(of: Element.self, capacity: 1) { buffer in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            let read = transfer(bytes.baseAddress, bytes.count, at: parked.offset + index * MemoryLayout<Element>.stride) {
                pread(descriptor, UnsafeMutableRawPointer(mutating: $0), $1, $2)
            }
            if !read { Self.exitAfterLostData() }
            return bytes.load(as: Element.self)
        }
    }

    /// The bytes were written by this process a moment ago, so failing to read them back is an
    /// I/O error of the disk: nothing can be recovered, and diag ends with a clear message
    /// (exit status 1) rather than a trap.
    private static func exitAfterLostData() -> Never {
        Terminal.printError("diag: cannot read back its temporary file in $TMPDIR (or /var/tmp): \(String(cString: strerror(errno)))")
        exit(DiagError.Kind.failure.rawValue)
    }

    /// Runs `io` (pread or pwrite) until `count` bytes from `start` are done. False on error or when there is no file.
    private func transfer(_ start: UnsafeRawPointer?, _ count: Int, at offset: Int,
                          _ io: (UnsafeRawPointer, Int, off_t) -> Int) -> Bool {
        guard descriptor >= 0 else { return false }
        guard let start else { return true }
        var done = 0
        while done < count {
            let n = io(start + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
