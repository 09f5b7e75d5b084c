import Foundation

/// The symbols a JIT compiler publishes for perf in `/tmp/perf-PID.map` (Node with
/// `--perf-basic-prof`, the JVM with perf-map-agent, Python 3.12's trampolines): one line
/// per function, `START SIZE NAME` with hexadecimal START and SIZE.
public struct PerfMap: Sendable {
    /// One JIT-compiled function.
    public struct Entry: Sendable, Equatable {
        public var start: UInt64
        public var size: UInt64
        public var name: String
    }

    /// Entries sorted by start address.
    public private(set) var entries: [Entry]

    /// Parses the text of a perf map; malformed lines are skipped. Later lines win when
    /// code was recompiled at the same address.
    public init(text: String) {
        var byStart: [UInt64: Entry] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, let start = UInt64(fields[0].replacingPrefix("0x"), radix: 16),
                  let size = UInt64(fields[1].replacingPrefix("0x"), radix: 16) else { continue }
            byStart[start] = Entry(start: start, size: size, name: String(fields[2]))
        }
        entries = byStart.values.sorted { $0.start < $1.start }
    }

    /// The map of process `pid`, or nil when it has none. As perf does, the file is only
    /// trusted when it belongs to the process's user (or root).
    public static func load(pid: Int32, ownerUID: UInt32) -> PerfMap? {
        let path = "/tmp/perf-\(pid).map"
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
              status.st_uid == ownerUID || status.st_uid == 0,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return PerfMap(text: String(decoding: data, as: UTF8.self))
    }

    /// The function containing `address`, or nil.
    public func entry(containing address: UInt64) -> Entry? {
        var low = 0
        var high = entries.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let entry = entries[middle]
            if address < entry.start {
                high = middle - 1
            } else if address >= entry.start + max(entry.size, 1) {
                low = middle + 1
            } else {
                return entry
            }
        }
        return nil
    }
}

private extension Substring {
    func replacingPrefix(_ prefix: String) -> Substring {
        hasPrefix(prefix) ? dropFirst(prefix.count) : self
    }
}
