/// One line of /proc/PID/maps: an address range, its permissions and what backs it.
public struct MemoryMapping: Sendable, Equatable {
    public let start: UInt64
    public let end: UInt64
    /// `rwxp`-style permissions.
    public let permissions: String
    public let offset: UInt64
    public let inode: UInt64
    /// The file path, a pseudo name such as `[stack]`, or empty for anonymous memory.
    public let path: String

    public var isExecutable: Bool { permissions.contains("x") }
    public var isFileBacked: Bool { inode != 0 && path.hasPrefix("/") }
    /// True when the file was deleted or replaced after it was mapped.
    public var isDeleted: Bool { path.hasSuffix(" (deleted)") }

    /// Parses one maps line; nil for a malformed one.
    public init?(line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5 else { return nil }
        let range = fields[0].split(separator: "-")
        guard range.count == 2, let start = UInt64(range[0], radix: 16), let end = UInt64(range[1], radix: 16),
              let offset = UInt64(fields[2], radix: 16), let inode = UInt64(fields[4]) else { return nil }
        self.start = start
        self.end = end
        permissions = String(fields[1])
        self.offset = offset
        self.inode = inode
        path = fields.count > 5 ? String(fields[5].drop(while: { $0 == " " })) : ""
    }

    /// The mappings of process `pid`, in address order; empty when unreadable.
    public static func read(pid: Int32) -> [MemoryMapping] {
        guard let text = ProcFiles.readText("/proc/\(pid)/maps") else { return [] }
        return text.split(separator: "\n").compactMap { MemoryMapping(line: $0) }
    }
}

extension Array where Element == MemoryMapping {
    /// The mapping that holds `address`, by binary search (the array in address order, as
    /// `MemoryMapping.read` gives it); nil when the address is in none.
    public func mapping(containing address: UInt64) -> MemoryMapping? {
        var low = 0
        var high = count - 1
        while low <= high {
            let middle = (low + high) / 2
            if address < self[middle].start {
                high = middle - 1
            } else if address >= self[middle].end {
                low = middle + 1
            } else {
                return self[middle]
            }
        }
        return nil
    }
}
