import ArgumentParser
import DiagSupport
import Glibc
import Inventory

/// `diag doctor [PID]`: what would block diagnosing, and the fix.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what would block diagnosing this machine or a process, with the fix for each problem.",
        discussion: """
        Machine checks: privileges, Yama ptrace_scope, containers, core_pattern. With a pid: a real \
        ptrace attach and detach, namespaces, debug information of every module, the core size \
        limit, and for Node.js the inspector port and SIGUSR1. Exits with status 1 when a check fails.
        """
    )

    @Argument(help: ArgumentHelp("A process to check as well.", valueName: "pid"))
    var pid: Int32?

    @OptionGroup var report: ReportOptions

    func run() throws {
        let result = try Inventory.Doctor.run(pid: pid)
        if report.json {
            try JSONOutput.print(result)
        } else if !report.quiet {
            Terminal.printOut(render(result))
        }
        if result.worst == .fail { Glibc.exit(DiagError.Kind.failure.rawValue) }
    }

    private func render(_ report: DoctorReport) -> String {
        var text = "diag doctor: "
        if let target = report.target {
            text += "process \(target.pid) (\(target.name), \(target.runtime))\n"
        } else {
            text += "this machine (give a pid to check a process)\n"
        }
        let width = report.checks.map(\.name.count).max() ?? 0
        for check in report.checks {
            let name = check.name + String(repeating: " ", count: width - check.name.count)
            let status = check.status.rawValue + String(repeating: " ", count: 4 - check.status.rawValue.count)
            text += "  \(status)  \(name)  \(check.detail)\n"
            if let fix = check.fix, check.status != .ok || !fix.isEmpty {
                text += "        \(String(repeating: " ", count: width))  fix: \(fix)\n"
            }
        }
        return text
    }
}
