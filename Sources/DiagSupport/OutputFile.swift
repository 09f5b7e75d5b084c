import Glibc

/// A file diag writes results into, created safely: mode 0600 (profiles, heap snapshots and
/// cores hold secrets), never through a symlink, and written to a temporary name that is
/// renamed into place only by `commit()`, so that an interrupted or failed run never leaves
/// a half-written file under the final name. The path `-` writes to standard output.
public final class OutputFile {
    /// The path as the user should see it (`-` for standard output).
    public let displayPath: String
    private let finalPath: String?
    private let temporaryPath: String?
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    /// True when the last thing written was a hole, which `commit()` must extend the file over.
    private var endsWithHole = false
    private let bufferLimit = 1 << 16

    /// Opens `path` for writing (`-` is standard output). Fails when `path` is a symlink or
    /// its directory cannot be written.
    public init(path: String) throws {
        displayPath = path
        if path == "-" {
            finalPath = nil
            temporaryPath = nil
            descriptor = STDOUT_FILENO
            return
        }
        var status = stat()
        if lstat(path, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFLNK {
                throw DiagError(.permissionDenied, "refusing to write through the symlink \(path)",
                                hint: "remove the link or choose another output path with -o")
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                throw DiagError(.failure, "\(path) is a directory", hint: "give a file name with -o")
            }
        }
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DiagError.system("cannot create \(path)", errno: errno) }
        finalPath = path
        temporaryPath = temporary
        descriptor = fd
    }

    deinit {
        if !finished { discard() }
    }

    public func write(_ text: String) throws {
        try write(bytes: Array(text.utf8))
    }

    public func write<Bytes: Collection>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        if !bytes.isEmpty { endsWithHole = false }
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Appends `count` zero bytes. In a regular file they become a hole (a sparse file), so
    /// that large untouched regions of a core take no disk space; elsewhere they are written.
    public func writeZeros(count: Int) throws {
        guard count > 0 else { return }
        guard finalPath != nil else {
            let zeros = [UInt8](repeating: 0, count: min(count, bufferLimit))
            var remaining = count
            while remaining > 0 {
                let step = min(remaining, zeros.count)
                try write(bytes: zeros[0..<step])
                remaining -= step
            }
            return
        }
        try flush()
        guard lseek(descriptor, off_t(count), SEEK_CUR) >= 0 else {
            throw DiagError.system("cannot write \(displayPath)", errno: errno)
        }
        endsWithHole = true
    }

    /// Writes out the buffer without committing.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw DiagError.system("cannot write \(displayPath)", errno: errno)
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and moves the file to its final name. Call once, after the last write.
    public func commit() throws {
        try flush()
        finished = true
        guard let finalPath, let temporaryPath else { return }
        defer { close(descriptor) }
        if endsWithHole, ftruncate(descriptor, lseek(descriptor, 0, SEEK_CUR)) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw DiagError.system("cannot write \(finalPath)", errno: code)
        }
        if fsync(descriptor) != 0 && errno != EINVAL {
            let code = errno
            unlink(temporaryPath)
            throw DiagError.system("cannot write \(finalPath)", errno: code)
        }
        if rename(temporaryPath, finalPath) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw DiagError.system("cannot move the output into place at \(finalPath)", errno: code)
        }
    }

    /// Abandons the output: the temporary file is removed and nothing appears at the path.
    public func discard() {
        finished = true
        guard let temporaryPath else { return }
        close(descriptor)
        unlink(temporaryPath)
    }

    /// Writes `text` to `path` in one go (see the class comment for the guarantees).
    public static func write(_ text: String, to path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }
}
