import ArgumentParser
import DiagSupport
import Glibc

/// The `diag` command: subcommands for each question asked of a running process or a core.
@main
struct Diag: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "diag",
        abstract: "Profile, inspect and post-mortem Linux processes: native and Node.js.",
        discussion: """
        diag attaches to a running process without restarting it. Outputs open in Chrome \
        DevTools (.cpuprofile, .heapsnapshot, Trace Event Format). Every command prints a short \
        summary; --json prints it as JSON.

        Exit codes: 0 success; 1 failure; 2 no such process or file; 3 permission denied; \
        4 unsupported target; 5 threshold exceeded (diff --fail-if-growth); 6 another client \
        connected to the inspector diag opened; 64 usage error; 69 not implemented in this version.
        """,
        version: version,
        subcommands: [
            CPU.self, Stack.self, Heap.self, Loop.self, Probe.self, Diff.self, Summary.self, Core.self, Gcore.self, PS.self, Doctor.self, MetricsCommand.self, Watch.self, Top.self,
            InspectorGuardCommand.self,
        ]
    )

    /// Runs the command line, reporting `DiagError`s as `diag: message` with their exit code.
    static func main() {
        InspectorGuardCommand.enable()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as DiagError {
            Terminal.printError("diag: \(error)")
            Glibc.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
