import ArgumentParser
import Foundation
import NodeChannel

/// `diag inspector-guard PID` (hidden): the guard process diag starts before it opens a Node.js
/// inspector, which closes that inspector if diag dies before it could (see InspectorGuard).
struct InspectorGuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspector-guard",
        abstract: "Internal: closes an inspector diag opened if diag dies.",
        shouldDisplay: false
    )

    @Argument var pid: Int32

    func run() throws {
        InspectorGuard.watch(pid: pid)
    }

    /// Lets the channel start guards with this very executable.
    static func enable() {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        InspectorGuard.command = [executable, "inspector-guard"]
    }
}
