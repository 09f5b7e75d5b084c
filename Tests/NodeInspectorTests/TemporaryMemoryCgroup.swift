import Foundation

/// A memory cgroup made for one test, below diag's own (cgroup v2 or the v1 memory
/// controller), with a limit. Needs root and a writable cgroup tree; `make` returns nil
/// otherwise. The test must stop its processes before `remove()`.
struct TemporaryMemoryCgroup {
    let directory: String
    private let limitFile: String

    static func make(limitBytes: Int64) -> TemporaryMemoryCgroup? {
        guard getuid() == 0, let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        let name = "diag-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = parts[2] == "/" ? "" : String(parts[2])
            if parts[1].split(separator: ",").contains("memory") {
                return make(at: "/sys/fs/cgroup/memory\(path)/\(name)", limitFile: "memory.limit_in_bytes", limitBytes: limitBytes)
            }
            if parts[0] == "0" && parts[1].isEmpty && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
                return make(at: "/sys/fs/cgroup\(path)/\(name)", limitFile: "memory.max", limitBytes: limitBytes)
            }
        }
        return nil
    }

    private static func make(at directory: String, limitFile: String, limitBytes: Int64) -> TemporaryMemoryCgroup? {
        guard mkdir(directory, 0o755) == 0 else { return nil }
        let cgroup = TemporaryMemoryCgroup(directory: directory, limitFile: limitFile)
        guard cgroup.write(String(limitBytes), to: limitFile) else {
            cgroup.remove()
            return nil
        }
        return cgroup
    }

    /// Moves process `pid` into the cgroup.
    func add(_ pid: Int32) -> Bool { write(String(pid), to: "cgroup.procs") }

    func remove() { rmdir(directory) }

    private func write(_ text: String, to file: String) -> Bool {
        (try? text.write(toFile: "\(directory)/\(file)", atomically: false, encoding: .utf8)) != nil
    }
}
