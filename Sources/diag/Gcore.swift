import ArgumentParser
import DiagSupport

/// `diag gcore PID`: a core of a live process, which keeps running.
struct Gcore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcore",
        abstract: "Write a core file of a running process without killing it.",
        discussion: "Every thread is stopped for as long as the memory copy takes, then resumed. The file is created with mode 0600."
    )

    @OptionGroup var target: TargetOption
    @OptionGroup var output: OutputOption
    @OptionGroup var report: ReportOptions

    func run() throws {
        throw DiagError.notImplemented("diag gcore")
    }
}
