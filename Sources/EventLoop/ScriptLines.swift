import Foundation

/// Lines of the target's own scripts, read through /proc/PID/root (so a target in another
/// mount namespace is read from its own files); each file is read once, at most 16 MiB.
public final class ScriptLines {
    private let root: String
    private var files: [String: [Substring]] = [:]
    static let sizeLimit = 16 << 20

    public init(pid: Int32) {
        root = "/proc/\(pid)/root"
    }

    /// The text of 1-based `line` of the script at `url` (file:// URL or absolute path).
    public func line(url: String, line: Int) -> String? {
        let path = url.hasPrefix("file://") ? String(url.dropFirst(7)).removingPercentEncoding ?? "" : url
        guard path.hasPrefix("/") else { return nil }
        if files[path] == nil {
            let handle = FileHandle(forReadingAtPath: root + path)
            let data = (try? handle?.read(upToCount: Self.sizeLimit)) ?? nil
            try? handle?.close()
            files[path] = String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        }
        guard let lines = files[path], line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1])
    }
}
