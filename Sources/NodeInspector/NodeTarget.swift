import DiagSupport
import TargetProcess

/// A process verified to be Node.js from its binaries (never from its name): the only kind
/// of process diag ever sends SIGUSR1 to.
public struct NodeTarget: Sendable {
    public let process: TargetProcess
    /// `20.20.2`, when the binary says.
    public let version: String?

    public var pid: Int32 { process.pid }

    /// Verifies `pid`; `purpose` completes the error message, e.g. "heap snapshots need a V8 target".
    public init(pid: Int32, purpose: String) throws {
        let process = try TargetProcess(pid: pid)
        guard process.executablePath != nil else {
            throw DiagError(.permissionDenied, "cannot read /proc/\(pid)/exe to verify that \(pid) is Node.js",
                            hint: "run diag as root or as the user that owns the process")
        }
        guard case .node(let version) = RuntimeDetector.detect(process) else {
            throw DiagError(.unsupportedTarget, "\(pid) (\(process.name)) is not a Node.js process; \(purpose)",
                            hint: "diag recognises Node.js by its binary (node or libnode), not by its name")
        }
        self.process = process
        self.version = version
    }
}
