import DiagSupport
import Glibc

/// A file mapped read-only into memory, for random access to cores and to the binaries that
/// back their unsaved pages. An empty file maps to an empty view.
public final class MappedFile {
    public let path: String
    public let descriptor: Int32
    public let size: UInt64
    private let base: UnsafeMutableRawPointer?

    /// Opens and maps `path`, failing with the error a user should see.
    public init(path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { throw DiagError(.notFound, "no such file \(path)") }
            throw DiagError.system("cannot open \(path)", errno: code)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DiagError(.failure, "\(path) is not a regular file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DiagError.system("cannot open \(path)", errno: errno) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else {
            let code = errno
            close(fd)
            throw DiagError.system("cannot read \(path)", errno: code)
        }
        self.path = path
        descriptor = fd
        size = UInt64(opened.st_size)
        if size == 0 {
            base = nil
            return
        }
        guard let mapped = mmap(nil, Int(size), PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            let code = errno
            close(fd)
            throw DiagError.system("cannot map \(path)", errno: code)
        }
        base = mapped
    }

    deinit {
        if let base { munmap(base, Int(size)) }
        close(descriptor)
    }

    /// The file's bytes. Valid while the object lives.
    public var view: ByteView {
        ByteView(UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : Int(size)))
    }
}
