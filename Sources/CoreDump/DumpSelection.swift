import Glibc
import TargetProcess

/// Which bytes of each mapping a core of a live process contains, decided the way the
/// kernel does from /proc/PID/coredump_filter (see core(5)) and the VmFlags of
/// /proc/PID/smaps: every mapping gets a PT_LOAD; its dumped size may be all of it, only the
/// first page (ELF headers of file mappings), or nothing.
public struct DumpSelection: Sendable {
    public struct Region: Sendable {
        public var mapping: MemoryMapping
        /// Bytes from the start of the mapping written to the core.
        public var dumpedSize: UInt64
    }

    public var regions: [Region]
    public var filter: UInt32

    /// The kernel's default filter: anonymous private and shared, ELF headers, private hugetlb.
    public static let defaultFilter: UInt32 = 0x33
    static let pageSize: UInt64 = 4096

    enum FilterBit {
        static let anonymousPrivate: UInt32 = 1 << 0
        static let anonymousShared: UInt32 = 1 << 1
        static let filePrivate: UInt32 = 1 << 2
        static let fileShared: UInt32 = 1 << 3
        static let elfHeaders: UInt32 = 1 << 4
        static let hugePrivate: UInt32 = 1 << 5
        static let hugeShared: UInt32 = 1 << 6
    }

    /// The selection for process `pid`.
    public static func read(pid: Int32) -> DumpSelection {
        let filter = ProcFiles.readText("/proc/\(pid)/coredump_filter")
            .flatMap { UInt32($0.trimmingWhitespace(), radix: 16) } ?? defaultFilter
        let smaps = ProcFiles.readText("/proc/\(pid)/smaps") ?? ""
        return DumpSelection(smaps: smaps, filter: filter) { mapping in
            ElfMagic.startsWithElfHeader(pid: pid, mapping: mapping)
        }
    }

    /// Parses smaps text; `isElf` tells whether a mapped file starts with an ELF header.
    public init(smaps: String, filter: UInt32, isElf: (MemoryMapping) -> Bool) {
        self.filter = filter
        var regions: [Region] = []
        var current: MemoryMapping?
        var anonymousBytes: UInt64 = 0
        var flags: [Substring] = []
        func finish() {
            guard let mapping = current else { return }
            let size = DumpSelection.dumpSize(mapping, anonymousBytes: anonymousBytes, vmFlags: flags, filter: filter, isElf: isElf)
            regions.append(Region(mapping: mapping, dumpedSize: size))
        }
        for line in smaps.split(separator: "\n") {
            if let mapping = MemoryMapping(line: line), line.first?.isHexDigit == true, line.contains("-") {
                finish()
                current = mapping
                anonymousBytes = 0
                flags = []
            } else if line.hasPrefix("Anonymous:") {
                let kilobytes = line.dropFirst("Anonymous:".count).split(separator: " ").first.flatMap { UInt64($0) } ?? 0
                anonymousBytes = kilobytes * 1024
            } else if line.hasPrefix("VmFlags:") {
                flags = line.dropFirst("VmFlags:".count).split(separator: " ")
            }
        }
        finish()
        self.regions = regions
    }

    static func dumpSize(_ mapping: MemoryMapping, anonymousBytes: UInt64, vmFlags: [Substring], filter: UInt32,
                         isElf: (MemoryMapping) -> Bool) -> UInt64 {
        let whole = mapping.end - mapping.start
        if mapping.path == "[vdso]" { return whole }
        if mapping.path == "[vvar]" || mapping.path == "[vsyscall]" { return 0 }
        if vmFlags.contains("dd") || vmFlags.contains("io") { return 0 }
        if !mapping.permissions.hasPrefix("r") { return 0 }
        let isShared = mapping.permissions.count >= 4 && Array(mapping.permissions)[3] == "s"
        if vmFlags.contains("ht") {
            return filter & (isShared ? FilterBit.hugeShared : FilterBit.hugePrivate) != 0 ? whole : 0
        }
        let isFile = mapping.isFileBacked && !mapping.path.hasPrefix("/dev/zero") && !mapping.path.hasPrefix("/SYSV")
        if !isFile {
            return filter & (isShared ? FilterBit.anonymousShared : FilterBit.anonymousPrivate) != 0 ? whole : 0
        }
        if isShared {
            if filter & FilterBit.fileShared != 0 { return whole }
        } else {
            if anonymousBytes > 0 && filter & FilterBit.anonymousPrivate != 0 { return whole }
            if filter & FilterBit.filePrivate != 0 { return whole }
        }
        if filter & FilterBit.elfHeaders != 0, mapping.offset == 0, isElf(mapping) { return min(pageSize, whole) }
        return 0
    }

    /// Bytes the core will hold for memory.
    public var dumpedBytes: UInt64 { regions.reduce(0) { $0 + $1.dumpedSize } }
}

/// Whether a mapped file starts with the ELF magic, read through /proc/PID/map_files (which
/// works for deleted files) or else the path.
enum ElfMagic {
    static func startsWithElfHeader(pid: Int32, mapping: MemoryMapping) -> Bool {
        let mapFile = "/proc/\(pid)/map_files/\(String(mapping.start, radix: 16))-\(String(mapping.end, radix: 16))"
        for path in [mapFile, mapping.path] {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var magic: UInt32 = 0
            return pread(fd, &magic, 4, 0) == 4 && magic == 0x464c_457f
        }
        return false
    }
}
