import Glibc
import Symbols

/// What a process runs on, as far as diag's deeper support is concerned.
public enum Runtime: Sendable, Equatable {
    /// Node.js; the version (`20.20.2`) when it could be read from the binary.
    case node(version: String?)
    /// Any other native process.
    case native

    public var isNode: Bool { if case .node = self { true } else { false } }

    /// `Node.js 20.20.2`, `Node.js` or `native`.
    public var label: String {
        switch self {
        case .node(let version?): "Node.js \(version)"
        case .node(nil): "Node.js"
        case .native: "native"
        }
    }
}

/// Decides whether a process is Node.js from its binaries, not its name: the executable or
/// a mapped libnode must export Node's addon registration and V8's postmortem symbols. A
/// process merely called `node` is not trusted, and a renamed node binary is recognised.
public enum RuntimeDetector {
    /// Symbols that only Node.js (or libnode) exports; two must be present.
    static let nodeSymbols: Set<String> = ["node_module_register", "napi_module_register", "v8dbg_type_JSObject__JS_OBJECT_TYPE"]

    /// Detects the runtime of `process`.
    public static func detect(_ process: TargetProcess) -> Runtime {
        detect(pid: process.pid, mappings: MemoryMapping.read(pid: process.pid))
    }

    public static func detect(pid: Int32, mappings: [MemoryMapping]) -> Runtime {
        var candidates = ["/proc/\(pid)/exe"]
        let libraries = Set(mappings.filter { $0.isFileBacked && $0.path.contains("libnode.so") }.map(\.path))
        candidates += libraries.sorted().map { "/proc/\(pid)/root\($0)" }
        for path in candidates {
            guard let identity = FileIdentity(path: path) else { continue }
            if let verdict = cache.verdict(for: identity) {
                if let verdict { return verdict }
                continue
            }
            let verdict = inspect(path)
            cache.store(verdict, for: identity)
            if let verdict { return verdict }
        }
        return .native
    }

    /// Node's version from the release URL compiled into the binary (`node-v20.20.2.tar.gz`).
    static func inspect(_ path: String) -> Runtime? {
        guard let elf = ElfFile(path: path), elf.definedDynamicSymbols(among: nodeSymbols).count >= 2 else { return nil }
        return .node(version: elf.sectionContents(named: ".rodata").flatMap(releaseVersion(in:)))
    }

    static func releaseVersion(in bytes: UnsafeRawBufferPointer) -> String? {
        let marker = Array("/node-v".utf8)
        guard bytes.count > marker.count else { return nil }
        var index = 0
        while let found = find(marker, in: bytes, from: index) {
            var end = found + marker.count
            while end < bytes.count, bytes[end] == UInt8(ascii: ".") || (bytes[end] >= 48 && bytes[end] <= 57) { end += 1 }
            let version = String(decoding: bytes[(found + marker.count)..<end], as: UTF8.self)
            let trimmed = version.hasSuffix(".") ? String(version.dropLast()) : version
            if trimmed.split(separator: ".").count == 3 { return trimmed }
            index = found + 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var position = start
        while position + needle.count <= haystack.count {
            guard let hit = memchr(haystack.baseAddress! + position, Int32(needle[0]), haystack.count - position) else { return nil }
            position = haystack.baseAddress!.distance(to: UnsafeRawPointer(hit))
            guard position + needle.count <= haystack.count else { return nil }
            if needle.withUnsafeBytes({ memcmp(haystack.baseAddress! + position, $0.baseAddress!, needle.count) }) == 0 {
                return position
            }
            position += 1
        }
        return nil
    }

    private static let cache = VerdictCache()
}

/// A file's device and inode, to recognise the same binary behind different paths.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
    let modified: Int

    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        modified = Int(status.st_mtim.tv_sec)
    }
}

/// Verdicts per binary, so that listing many processes of one binary inspects it once.
private final class VerdictCache: @unchecked Sendable {
    private var verdicts: [FileIdentity: Runtime?] = [:]
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    func verdict(for identity: FileIdentity) -> Runtime?? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return verdicts[identity]
    }

    func store(_ verdict: Runtime?, for identity: FileIdentity) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        verdicts[identity] = verdict
    }
}
