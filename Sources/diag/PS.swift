import ArgumentParser
import DiagSupport

/// `diag ps`: the processes diag can look at.
struct PS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List the processes that can be diagnosed, with their runtime and inspector state."
    )

    @OptionGroup var report: ReportOptions

    func run() throws {
        throw DiagError.notImplemented("diag ps")
    }
}
