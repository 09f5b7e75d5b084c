import ArgumentParser
import DiagSupport

/// `diag diff A B [C]`: what grew between heap snapshots, and what holds it.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare heap snapshots: growth per class and retained growth with retainer paths.",
        discussion: "With three snapshots, only objects new in B and still alive in C are reported (baseline, target, final)."
    )

    @Argument(help: ArgumentHelp("Two or three .heapsnapshot files, oldest first.", valueName: "snapshot"))
    var snapshots: [String]

    @Option(help: "Rows per table.")
    var top = 10

    @Option(name: .customLong("fail-if-growth"), help: ArgumentHelp("Exit with status 5 when retained growth exceeds this size (50MB).", valueName: "size"))
    var failIfGrowth: ByteSize?

    @Option(name: .customLong("write-suspects"), help: ArgumentHelp("Write the suspects and their retainer paths as a small .heapsnapshot.", valueName: "file"))
    var writeSuspects: String?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard (2...3).contains(snapshots.count) else { throw ValidationError("diff takes two or three snapshot files") }
    }

    func run() throws {
        throw DiagError.notImplemented("diag diff")
    }
}
