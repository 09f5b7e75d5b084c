import Glibc
import NodeInspector
import TargetProcess

/// One process as `diag ps` lists it.
public struct ProcessEntry: Codable, Sendable, Equatable {
    public var pid: Int32
    public var user: String
    public var command: String
    /// `node` or `native`.
    public var runtime: String
    public var nodeVersion: String?
    public var threads: Int
    public var residentBytes: Int64
    /// The inspector a Node.js process listens with, or nil.
    public var inspector: InspectorEndpoint?
}

/// The processes diag can look at: every process visible in /proc except kernel threads and
/// diag itself, with the runtime found from its binaries (not its name).
public enum ProcessListing {
    public static func list(excluding excluded: Set<Int32> = [getpid()]) -> [ProcessEntry] {
        ProcFiles.numericEntries("/proc").compactMap { pid in
            guard !excluded.contains(pid), let process = try? TargetProcess(pid: pid) else { return nil }
            let arguments = process.commandLine
            guard !arguments.isEmpty, !isKernelThread(process) else { return nil }
            let runtime = RuntimeDetector.detect(process)
            var version: String?
            if case .node(let found) = runtime { version = found }
            return ProcessEntry(
                pid: pid,
                user: process.userName,
                command: arguments.joined(separator: " "),
                runtime: runtime.isNode ? "node" : "native",
                nodeVersion: version,
                threads: process.status.threadCount,
                residentBytes: process.status.residentBytes,
                inspector: runtime.isNode ? InspectorDiscovery.listeningInspector(pid: pid) : nil
            )
        }
    }

    /// Kernel threads are children of kthreadd (pid 2) and have no command line.
    static func isKernelThread(_ process: TargetProcess) -> Bool {
        process.pid == 2 || process.status.parentPID == 2
    }
}
