import CSystemShim
import Glibc

/// A file diag writes results into, created safely: mode 0600 (profiles, heap snapshots and
/// cores hold secrets), never through a symlink, never over an existing file, and invisible
/// until `commit()`. Where the file system allows it the data goes into an unnamed O_TMPFILE
/// that `commit()` links into place, so that even a SIGKILL of diag leaves nothing behind;
/// elsewhere into `NAME.tmp-PID`, which the next diag run in that directory removes once that
/// PID is no longer a running diag. The path `-` writes to standard output.
public final class OutputFile {
    /// The path as the user should see it (`-` for standard output). For a default name it
    /// may gain a `-N` suffix at `commit()` when another run took the name first.
    public private(set) var displayPath: String
    private let finalPath: String?
    private let uniqueName: Bool
    /// The named temporary file, or nil when writing to an O_TMPFILE (or standard output).
    private let temporaryPath: String?
    /// A device or pipe named with -o (/dev/null, a FIFO): written directly, closed at the end.
    private let isStream: Bool
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    /// True when the last thing written was a hole, which `commit()` must extend the file over.
    private var endsWithHole = false
    private let bufferLimit = 1 << 16

    /// Opens `path` for writing (`-` is standard output) after the checks of `check(_:)`.
    /// With `uniqueName` (diag's default names) an existing file is not an error: the
    /// output gets the first free name `NAME-2.EXT`, `NAME-3.EXT`, ... instead.
    public init(path: String, uniqueName: Bool = false) throws {
        displayPath = path
        self.uniqueName = uniqueName
        if path == "-" {
            finalPath = nil
            temporaryPath = nil
            isStream = false
            descriptor = STDOUT_FILENO
            return
        }
        if Self.isDeviceOrPipe(path) {
            let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw DiagError.system("cannot open \(path)", errno: errno) }
            finalPath = nil
            temporaryPath = nil
            isStream = true
            descriptor = fd
            return
        }
        isStream = false
        try Self.check(path, allowExisting: uniqueName)
        let directory = Self.directory(of: path)
        Self.removeStaleTemporaries(in: directory)
        let unnamed = diag_open_unnamed_file(directory)
        if unnamed >= 0 {
            finalPath = path
            temporaryPath = nil
            descriptor = unnamed
            return
        }
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DiagError.system("cannot create \(path)", errno: errno) }
        finalPath = path
        temporaryPath = temporary
        descriptor = fd
    }

    /// True for `-`, a device and a FIFO: outputs written in place, which get no side files.
    public static func isWrittenInPlace(_ path: String) -> Bool {
        path == "-" || isDeviceOrPipe(path)
    }

    /// A character device or FIFO (not through a symlink): such a path is written in place.
    private static func isDeviceOrPipe(_ path: String) -> Bool {
        var status = stat()
        guard lstat(path, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFCHR || type == S_IFIFO
    }

    deinit {
        if !finished { discard() }
    }

    /// Refuses an output path before diag touches the target: a symlink, a directory, an
    /// existing file (unless `allowExisting`) or a directory diag cannot write in.
    public static func check(_ path: String, allowExisting: Bool = false) throws {
        guard path != "-" else { return }
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFCHR, S_IFIFO:
                return  // written in place, like standard output
            case S_IFLNK:
                throw DiagError(.permissionDenied, "refusing to write through the symlink \(path)",
                                hint: "remove the link or choose another output path with -o")
            case S_IFDIR:
                throw DiagError(.failure, "\(path) is a directory", hint: "give a file name with -o")
            default:
                if !allowExisting {
                    throw DiagError(.failure, "\(path) already exists; diag does not overwrite files",
                                    hint: "remove it or choose another output path with -o")
                }
            }
        }
        let directory = directory(of: path)
        guard access(directory, W_OK | X_OK) == 0 else {
            throw DiagError.system("cannot write in \(directory)", errno: errno)
        }
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

    /// Flushes, closes and gives the file its final name, which must still be free (or, for
    /// a default name, the first free `-N` variant: `displayPath` then says which). Call
    /// once, after the last write; on failure nothing is left behind.
    public func commit() throws {
        do {
            try flush()
        } catch {
            discard()
            throw error
        }
        finished = true
        guard let finalPath else {
            if isStream { close(descriptor) }
            return
        }
        defer {
            close(descriptor)
            if let temporaryPath { unlink(temporaryPath) }
        }
        if endsWithHole, ftruncate(descriptor, lseek(descriptor, 0, SEEK_CUR)) != 0 {
            throw DiagError.system("cannot write \(finalPath)", errno: errno)
        }
        if fsync(descriptor) != 0 && errno != EINVAL {
            throw DiagError.system("cannot write \(finalPath)", errno: errno)
        }
        for attempt in 1...1000 {
            let candidate = attempt == 1 ? finalPath : Self.numbered(finalPath, attempt)
            let code = link(to: candidate)
            if code == 0 {
                displayPath = candidate
                return
            }
            guard code == EEXIST, uniqueName else {
                if code == EEXIST {
                    throw DiagError(.failure, "\(finalPath) appeared while diag was writing; it was left alone and nothing was written")
                }
                throw DiagError.system("cannot move the output into place at \(finalPath)", errno: code)
            }
        }
        throw DiagError(.failure, "no free name next to \(finalPath); nothing was written")
    }

    /// Gives the data the name `path` without ever replacing a file there: 0 or an errno.
    private func link(to path: String) -> Int32 {
        if let temporaryPath {
            return Glibc.link(temporaryPath, path) == 0 ? 0 : errno
        }
        return linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno
    }

    /// Abandons the output: the temporary file is removed and nothing appears at the path.
    public func discard() {
        guard !finished else { return }
        finished = true
        guard finalPath != nil || isStream else { return }
        close(descriptor)
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Writes `text` to `path` in one go (see the class comment for the guarantees).
    public static func write(_ text: String, to path: String) throws {
        let file = try OutputFile(path: path)
        try file.write(text)
        try file.commit()
    }

    /// `NAME.EXT` → `NAME-N.EXT` (the extension is what follows the last dot of the file name).
    static func numbered(_ path: String, _ number: Int) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return "\(path)-\(number)" }
        return "\(path[..<dot])-\(number)\(path[dot...])"
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes `NAME.tmp-PID` files that a diag killed while writing left in `directory`:
    /// regular files of this user whose PID is no longer a running diag.
    static func removeStaleTemporaries(in directory: String) {
        guard let listing = opendir(directory) else { return }
        defer { closedir(listing) }
        let fd = dirfd(listing)
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = temporaryOwner(name), pid != getpid(),
                  !isRunningDiag(pid) else { continue }
            var status = stat()
            guard fstatat(fd, name, &status, AT_SYMLINK_NOFOLLOW) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                  status.st_uid == geteuid() else { continue }
            unlinkat(fd, name, 0)
        }
    }

    /// The PID in a temporary name `NAME.tmp-PID`, or nil for any other name.
    static func temporaryOwner(_ name: String) -> Int32? {
        let marker = Array(".tmp-".utf8)
        let bytes = Array(name.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in stride(from: bytes.count - marker.count - 1, through: 1, by: -1)
        where Array(bytes[start..<start + marker.count]) == marker {
            let digits = bytes[(start + marker.count)...]
            guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int32(String(decoding: digits, as: UTF8.self)).flatMap { $0 > 0 ? $0 : nil }
        }
        return nil
    }

    private static func isRunningDiag(_ pid: Int32) -> Bool {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0 else { return false }
        return String(decoding: bytes[0..<count], as: UTF8.self).hasPrefix("diag")
    }
}
