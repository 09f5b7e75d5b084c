#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file front to back through one fixed-size buffer, so memory use does not
/// depend on the file size. Tracks the absolute byte offset for error messages.
final class ChunkedByteSource {
    let path: String
    private let fd: Int32
    private let capacity: Int
    /// The buffer; bytes `start..<end` are unread.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    var start = 0
    private(set) var end = 0
    /// Absolute file offset of `buffer[0]`.
    private(set) var bufferOffset: UInt64 = 0
    private(set) var reachedEOF = false
    /// Total file size when known (for progress and allocation limits).
    let fileSize: UInt64

    init(path: String, chunkSize: Int = 8 << 20) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw HeapSnapshotError.io(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HeapSnapshotError.io(path: path, reason: reason)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw HeapSnapshotError.io(path: path, reason: "is a directory")
        }
        self.fd = fd
        self.fileSize = UInt64(max(0, info.st_size))
        self.capacity = chunkSize
        self.buffer = .allocate(capacity: chunkSize)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// Absolute offset of the next unread byte.
    var offset: UInt64 { bufferOffset + UInt64(start) }

    /// Makes at least one unread byte available. Returns false at end of file.
    @inline(__always)
    func ensure() throws -> Bool {
        if start < end { return true }
        return try refill()
    }

    /// Discards consumed bytes and reads more. Returns false when nothing more is available.
    func refill() throws -> Bool {
        if reachedEOF { return start < end }
        let keep = end - start
        if keep > 0 && start > 0 { buffer.update(from: buffer + start, count: keep) }
        bufferOffset += UInt64(start)
        start = 0
        end = keep
        while end < capacity {
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw HeapSnapshotError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { reachedEOF = true; break }
            end += n
            if end - keep >= capacity / 2 { break }
        }
        return start < end
    }

    /// The next byte, consuming it; nil at end of file.
    @inline(__always)
    func next() throws -> UInt8? {
        if start >= end, try !refill() { return nil }
        let b = buffer[start]
        start += 1
        return b
    }

    /// Skips JSON whitespace and returns the next byte without consuming it; nil at end of file.
    func peekNonSpace() throws -> UInt8? {
        while true {
            if start >= end, try !refill() { return nil }
            let b = buffer[start]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { start += 1; continue }
            return b
        }
    }
}
