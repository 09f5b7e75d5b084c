import ArgumentParser
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

    @OptionGroup var report: ReportOptions

    func run() throws {
        throw DiagError.notImplemented("diag core")
    }
}
