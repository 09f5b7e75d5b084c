import ArgumentParser
import DiagSupport
import HeapSnapshot

/// `diag diff A B [C]`: what grew between heap snapshots, and what holds it.
struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare heap snapshots (or two Node.js cores): growth per class and retained growth with retainer paths.",
        discussion: "With three snapshots, only objects new in B and still alive in C are reported (baseline, target, final). "
            + "Two cores of one Node.js process give the per-constructor comparison only, objects matched by address."
    )

    @Argument(help: ArgumentHelp("Two or three .heapsnapshot files, or two Node.js cores, oldest first.", valueName: "snapshot"))
    var snapshots: [String]

    @Option(help: "Rows per table.")
    var top = 10

    @Option(name: .customLong("fail-if-growth"), help: ArgumentHelp("Exit with status 5 when retained growth exceeds this size (50MB).", valueName: "size"))
    var failIfGrowth: ByteSize?

    @Option(name: .customLong("write-suspects"), help: ArgumentHelp("Write the suspects and their retainer paths as a small .heapsnapshot.", valueName: "file"))
    var writeSuspects: String?

    @Flag(help: "List V8-internal growth (compiled code, object shapes, feedback and code caches) among the suspects.")
    var all = false

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard (2...3).contains(snapshots.count) else { throw ValidationError("diff takes two or three snapshot files") }
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        if try CoreDiff.areCores(snapshots) {
            guard writeSuspects == nil else { throw DiagError(.failure, "--write-suspects needs heap snapshots: cores have no retainer graph") }
            let result = try CoreDiff.report(paths: snapshots, top: top)
            if report.json { try JSONOutput.print(result) } else if !report.quiet { Terminal.printOut(result.render()) }
            return try check(result)
        }
        let progress = ProgressLine(quiet: report.quiet || report.json)
        let outcome: HeapDiff.Outcome
        do {
            outcome = try HeapDiff.run(paths: snapshots, top: top, includeInternal: all) { progress.update($0) }
        } catch let error as HeapSnapshotError {
            progress.clear()
            throw HeapSnapshotFile.diagError(error)
        }
        progress.clear()
        let result = outcome.report
        if let path = writeSuspects {
            guard let target = outcome.target, let growth = outcome.growth else {
                throw DiagError(.failure, "no suspects file written: object ids are not comparable between these snapshots")
            }
            // The clusters the report lists, each with all its new objects.
            let written = try SuspectsSnapshotWriter.write(path: path, analysis: target,
                                                           clusters: growth.listed(includeInternal: all).prefix(top).map(\.suspectsFileObjects))
            if !written.complete {
                Terminal.printError("note: \(path) stops at \(SuspectsSnapshotWriter.totalLimit) objects: the later objects of large clusters are left out")
            }
            if !report.json && !report.quiet { Terminal.printError("wrote \(path) (\(written.nodes) objects, open it in Chrome DevTools > Memory)") }
        }
        if report.json { try JSONOutput.print(result) } else if !report.quiet { Terminal.printOut(result.render()) }
        try check(result)
    }

    /// Exit 5 when `--fail-if-growth` is passed.
    private func check(_ result: HeapDiffReport) throws {
        if let limit = failIfGrowth, result.growthForThreshold > Double(limit.bytes) {
            throw DiagError(.thresholdExceeded, "retained growth \(ByteSize(approximately: result.growthForThreshold)) exceeds --fail-if-growth \(limit)")
        }
    }
}
