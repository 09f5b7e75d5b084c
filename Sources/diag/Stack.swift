import ArgumentParser
import DiagSupport
import NativeProfiler
import TargetProcess

/// `diag stack PID`: every thread's stack, once.
struct Stack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "Print the stack of every thread of a running process.",
        discussion: "Threads with identical stacks are grouped. Frames show function, file:line, module+offset and inlining."
    )

    @OptionGroup var target: TargetOption
    @OptionGroup var report: ReportOptions

    func run() throws {
        let process = try TargetProcess(pid: target.pid)
        let dump = try StackDumper.dump(process)
        if report.json {
            try JSONOutput.print(dump)
        } else if !report.quiet {
            Terminal.printOut(dump.renderText())
        }
    }
}
