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

    @Flag(name: .customLong("js-objects"), help: "Node.js cores: count the V8 heap's objects per constructor (every object in the heap pages; unswept garbage may be counted).")
    var jsObjects = false

    @Option(name: .customLong("js-object"), help: ArgumentHelp("Node.js cores: print the object at this address, its properties and the objects that point at it.", valueName: "address"))
    var jsObject: String?

    @Option(help: "Rows of --js-objects.")
    var top = 30

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard maxFrames > 0 else { throw ValidationError("--max-frames must be at least 1") }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard !(jsObjects && jsObject != nil) else { throw ValidationError("--js-objects and --js-object go one at a time") }
    }

    func run() throws {
        if jsObjects { return try CoreJSObjects.run(core: core, top: top, report: report) }
        if let jsObject { return try CoreJSObject.run(core: core, address: jsObject, report: report) }
        let summary = try CoreAnalyzer.analyze(path: core, options: .init(executable: exe, maxFrames: maxFrames))
        if report.json {
            try JSONOutput.print(CoreSummaryJSON.document(summary))
        } else if !report.quiet {
            Terminal.printOut(CoreSummaryText.render(summary))
        }
    }
}
