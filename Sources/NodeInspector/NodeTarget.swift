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

    /// The main script's name without its extension (`server` for `node --x server.js`), to
    /// name output files; `node` when there is none (a REPL, `-e`).
    public var scriptName: String {
        let options = InspectorPortSetting.nodeArguments(Array(process.commandLine.dropFirst()))
        guard let script = process.commandLine.dropFirst(1 + options.count).first, !script.isEmpty else { return "node" }
        let file = script.split(separator: "/").last.map(String.init) ?? script
        for suffix in [".js", ".mjs", ".cjs", ".ts"] where file.hasSuffix(suffix) && file.count > suffix.count {
            return String(file.dropLast(suffix.count))
        }
        return file
    }
}
