import ArgumentParser
import CoreDump
import DiagSupport

/// `diag core FILE`: why did it crash?
struct Core: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Summarize a core dump: verdict, signal, faulting address, threads and stacks.",
        discussion: "Uses elfutils' libdwfl for modules and stacks and reads the ELF notes for the process facts."
    )

    @Argument(help: ArgumentHelp("The core file.", valueName: "core"))
    var core: String

    @Option(help: ArgumentHelp("The executable that produced the core, when it is not where the core says.", valueName: "path"))
    var exe: String?

    @Option(name: .customLong("max-frames"), help: ArgumentHelp("The most frames unwound per thread.", valueName: "n"))
    var maxFrames = 256

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard maxFrames > 0 else { throw ValidationError("--max-frames must be at least 1") }
    }

    func run() throws {
        let summary = try CoreAnalyzer.analyze(path: core, options: .init(executable: exe, maxFrames: maxFrames))
        if report.json {
            try JSONOutput.print(CoreSummaryJSON.document(summary))
        } else if !report.quiet {
            Terminal.printOut(CoreSummaryText.render(summary))
        }
    }
}
