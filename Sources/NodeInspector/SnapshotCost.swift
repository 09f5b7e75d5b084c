import DiagSupport
import TargetProcess

/// What a heap snapshot will cost the target, estimated before taking it, from measurements
/// on Node 20 (see the reference notes): the main thread is frozen for the whole snapshot,
/// and the process's RSS grows by up to about 12 times the heap in use at its peak (much of
/// it is not returned to the OS afterwards).
public struct SnapshotCost: Sendable, Codable {
    /// Peak extra RSS per byte of heap in use, as measured (11-12x).
    public static let peakGrowthFactor: Int64 = 12

    public let heapUsed: Int64
    /// The estimated extra memory the target needs at the snapshot's peak.
    public let estimatedPeakGrowth: Int64
    /// The memory limit of the target's cgroup and what the cgroup uses now, when limited.
    public let cgroupLimit: Int64?
    public let cgroupUsage: Int64?
    /// MemAvailable of the machine.
    public let machineAvailable: Int64?

    public init(heapUsed: Int64, cgroup: CgroupMemory.Limit?, machineAvailable: Int64?) {
        self.heapUsed = heapUsed
        estimatedPeakGrowth = heapUsed * Self.peakGrowthFactor
        cgroupLimit = cgroup?.limit
        cgroupUsage = cgroup?.usage
        self.machineAvailable = machineAvailable
    }

    /// True when the peak would pass the cgroup's limit (the kernel would OOM-kill the target).
    public var exceedsCgroupLimit: Bool {
        guard let cgroupLimit else { return false }
        return (cgroupUsage ?? 0) + estimatedPeakGrowth > cgroupLimit
    }

    /// True when the peak is more than the machine has available.
    public var exceedsAvailableMemory: Bool {
        guard let machineAvailable else { return false }
        return estimatedPeakGrowth > machineAvailable
    }

    /// Estimates the cost for `pid` with `heapUsed` bytes of heap in use.
    public static func estimate(pid: Int32, heapUsed: Int64) -> SnapshotCost {
        SnapshotCost(heapUsed: heapUsed, cgroup: CgroupMemory.limit(of: pid), machineAvailable: CgroupMemory.machineAvailable())
    }
}

/// The memory limit that applies to a process: the smallest limit among its cgroup and the
/// cgroup's ancestors, for cgroup v2 (`memory.max`) and v1 (`memory.limit_in_bytes`).
public enum CgroupMemory {
    public struct Limit: Sendable, Equatable {
        public let limit: Int64
        /// The usage of the cgroup that sets the limit.
        public let usage: Int64?
    }

    public static func limit(of pid: Int32, root: String = "/sys/fs/cgroup") -> Limit? {
        guard let text = ProcFiles.readText("/proc/\(pid)/cgroup") else { return nil }
        var candidates: [(directory: String, limitFile: String, usageFile: String)] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                candidates += ancestors(of: path).map { ("\(root)\($0)", "memory.max", "memory.current") }
            } else if parts[1].split(separator: ",").contains("memory") {
                candidates += ancestors(of: path).map { ("\(root)/memory\($0)", "memory.limit_in_bytes", "memory.usage_in_bytes") }
            }
        }
        var best: Limit?
        for candidate in candidates {
            guard let text = ProcFiles.readText("\(candidate.directory)/\(candidate.limitFile)")?.trimmingWhitespace(),
                  let limit = Int64(text), limit < 1 << 60 else { continue }
            if best == nil || limit < best!.limit {
                let usage = ProcFiles.readText("\(candidate.directory)/\(candidate.usageFile)").flatMap { Int64($0.trimmingWhitespace()) }
                best = Limit(limit: limit, usage: usage)
            }
        }
        return best
    }

    /// `/a/b` → `/a/b`, `/a`, `` (the root).
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = path == "/" ? "" : path
        while true {
            result.append(current)
            guard let slash = current.lastIndex(of: "/") else { break }
            current = String(current[..<slash])
            if current.isEmpty { result.append(""); break }
        }
        return result
    }

    /// MemAvailable from /proc/meminfo.
    public static func machineAvailable() -> Int64? {
        guard let text = ProcFiles.readText("/proc/meminfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int64(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
