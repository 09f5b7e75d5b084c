import ArgumentParser
import DiagSupport

/// `diag summary FILE`: read any diag output without a browser.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarize a .heapsnapshot or .cpuprofile file.",
        discussion: "Heap snapshots: totals, top constructors by count, shallow and retained size, the largest objects and their retainers. CPU profiles: top functions by self and total time."
    )

    @Argument(help: ArgumentHelp("A .heapsnapshot or .cpuprofile file.", valueName: "file"))
    var file: String

    @Option(help: "Rows per table.")
    var top = 10

    @OptionGroup var report: ReportOptions

    func run() throws {
        throw DiagError.notImplemented("diag summary")
    }
}
