import ArgumentParser
import DiagSupport

/// `diag doctor [PID]`: what would block diagnosing, and the fix.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what would block diagnosing this machine or a process, with the fix for each problem."
    )

    @Argument(help: ArgumentHelp("A process to check as well.", valueName: "pid"))
    var pid: Int32?

    @OptionGroup var report: ReportOptions

    func run() throws {
        throw DiagError.notImplemented("diag doctor")
    }
}
