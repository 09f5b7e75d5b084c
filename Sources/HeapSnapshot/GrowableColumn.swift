#if canImport(Glibc)
import Glibc
#endif

/// An append-only buffer for the parser's hot loop: no copy-on-write or uniqueness checks per
/// element, unlike `Array.append` on an array stored in a struct. `finish()` hands the values
/// over as an `Array` and frees the buffer.
struct GrowableColumn<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(reserve: Int) {
        capacity = max(16, reserve)
        base = .allocate(capacity: capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Elements copied at a time by `finish()`.
    private static var copyChunk: Int { max(1, (4 << 20) / MemoryLayout<Element>.stride) }

    /// The values as an array; the column is empty and must not be used afterwards. The copy
    /// goes a few MiB at a time and hands the copied pages of the buffer back to the system as
    /// it goes, so the column is not resident twice.
    mutating func finish() -> [Element] {
        let source = base, total = count
        let values = [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
            var done = 0
            while done < total {
                let n = min(Self.copyChunk, total - done)
                (buffer.baseAddress! + done).initialize(from: source + done, count: n)
                Self.releasePages(UnsafeRawPointer(source + done), bytes: n * MemoryLayout<Element>.stride)
                done += n
            }
            initialized = total
        }
        base.deallocate()
        base = .allocate(capacity: 1)
        capacity = 1
        count = 0
        return values
    }

    /// Drops the whole pages inside `bytes` bytes at `start` (their contents are not read again);
    /// the pages at either end, which may hold allocator bookkeeping, are kept.
    private static func releasePages(_ start: UnsafeRawPointer, bytes: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + bytes) / page * page
        guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, end - first, MADV_DONTNEED)
    }

    /// Frees the buffer (for a column abandoned after an error).
    func release() { base.deallocate() }
}
