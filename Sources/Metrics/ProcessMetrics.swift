import DiagSupport
import Glibc
import TargetProcess

/// prom-client's `process_*` default metrics, read by diag from /proc/PID (the same files
/// prom-client reads as /proc/self), so they cost the target nothing and exist for any process.
public struct ProcessMetrics: Sendable, Equatable {
    public var userCPUSeconds: Double
    public var systemCPUSeconds: Double
    public var startTimeSeconds: Double
    public var residentBytes: Double
    public var virtualBytes: Double
    /// VmData: the data segment, which prom-client calls the process heap.
    public var heapBytes: Double
    public var openFileDescriptors: Double?
    public var maxFileDescriptors: Double?

    /// Reads the metrics of `pid`; a process that is gone fails with "process PID exited".
    public static func read(pid: Int32) throws -> ProcessMetrics {
        guard let stat = ProcFiles.readText("/proc/\(pid)/stat"), let status = ProcFiles.readText("/proc/\(pid)/status"),
              var metrics = ProcessMetrics(stat: stat, status: status, bootTime: bootTime(), ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
        else {
            throw DiagError(.notFound, "process \(pid) exited")
        }
        if let entries = ProcFiles.list("/proc/\(pid)/fd") { metrics.openFileDescriptors = Double(entries.count) }
        metrics.maxFileDescriptors = ProcFiles.readText("/proc/\(pid)/limits").flatMap(Self.maxOpenFiles(limits:))
        return metrics
    }

    /// Parses /proc/PID/stat and /proc/PID/status; nil when either is malformed.
    init?(stat: String, status: String, bootTime: Double, ticksPerSecond: Double) {
        // The command name in parentheses may itself hold spaces and parentheses.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3 of proc(5)); utime is field 14, stime 15, starttime 22.
        guard fields.count > 19, let utime = Double(fields[11]), let stime = Double(fields[12]), let start = Double(fields[19]),
              ticksPerSecond > 0 else { return nil }
        userCPUSeconds = utime / ticksPerSecond
        systemCPUSeconds = stime / ticksPerSecond
        startTimeSeconds = bootTime + start / ticksPerSecond
        var sizes: [String: Double] = [:]
        for line in status.split(separator: "\n") where line.hasPrefix("Vm") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kilobytes = Double(parts[1]) { sizes[String(parts[0])] = kilobytes * 1024 }
        }
        residentBytes = sizes["VmRSS"] ?? 0
        virtualBytes = sizes["VmSize"] ?? 0
        heapBytes = sizes["VmData"] ?? 0
    }

    /// The soft limit on the "Max open files" line of /proc/PID/limits.
    static func maxOpenFiles(limits: String) -> Double? {
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else { return nil }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Double($0) }
    }

    /// The boot time (`btime` in /proc/stat), seconds since the epoch.
    static func bootTime() -> Double {
        let text = ProcFiles.readText("/proc/stat") ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("btime ") }
        return line.flatMap { Double($0.dropFirst(6)) } ?? 0
    }

    /// The families, with prom-client's names, help texts and types, in its order.
    public var families: [MetricFamily] {
        var result: [MetricFamily] = [
            .single("process_cpu_user_seconds_total", .counter, "Total user CPU time spent in seconds.", userCPUSeconds),
            .single("process_cpu_system_seconds_total", .counter, "Total system CPU time spent in seconds.", systemCPUSeconds),
            .single("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.", userCPUSeconds + systemCPUSeconds),
            .single("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.", startTimeSeconds),
            .single("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.", residentBytes),
            .single("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.", virtualBytes),
            .single("process_heap_bytes", .gauge, "Process heap size in bytes.", heapBytes),
        ]
        if let openFileDescriptors {
            result.append(.single("process_open_fds", .gauge, "Number of open file descriptors.", openFileDescriptors))
        }
        if let maxFileDescriptors {
            result.append(.single("process_max_fds", .gauge, "Maximum number of open file descriptors.", maxFileDescriptors))
        }
        return result
    }
}
