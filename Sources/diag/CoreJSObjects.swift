import CoreDump
import DiagSupport

/// `diag core CORE --js-objects`: the census of a Node.js core's heap, as text or JSON.
enum CoreJSObjects {
    /// The `--json` document: `jsObjects` rows plus how the heap was walked.
    struct Document: Encodable {
        var file: String
        var v8Version: String?
        var jsObjects: [JSObjectCensus.Row]
        var constructors: Int
        var walk: JSObjectCensus.Walk
    }

    static func run(core: String, top: Int, report: ReportOptions) throws {
        let census = try JSObjectCensus.take(path: core)
        if report.json {
            try JSONOutput.print(Document(file: census.file, v8Version: census.v8Version, jsObjects: Array(census.rows.prefix(top)),
                                          constructors: census.rows.count, walk: census.walk))
        } else if !report.quiet {
            Terminal.printOut(render(census, top: top))
        }
    }

    static func render(_ census: JSObjectCensus, top: Int) -> String {
        let walk = census.walk
        var text = "\(census.file): V8 \(census.v8Version ?? "?"), \(walk.objects) objects, \(ByteSize(bytes: Int64(walk.bytes))) "
            + "in \(walk.pages) heap pages, \(census.rows.count) constructors\n"
        text += "counted: \(walk.method)\n"
        var notes: [String] = []
        if walk.skippedBytes > 0 { notes.append("\(ByteSize(bytes: Int64(walk.skippedBytes))) of unused allocation area stepped over") }
        if walk.pagesNotSaved > 0 { notes.append("\(walk.pagesNotSaved) pages not saved in the core") }
        if walk.otherHeapPagesSkipped > 0 { notes.append("\(walk.otherHeapPagesSkipped) pages of other isolates (workers) left out") }
        if !notes.isEmpty { text += "note: " + notes.joined(separator: "; ") + "\n" }
        var table = TextTable(["COUNT", "BYTES", "EXAMPLE", "CONSTRUCTOR"], alignments: [.right, .right, .left, .left])
        for row in census.rows.prefix(top) {
            table.add([String(row.count), ByteSize(bytes: Int64(row.bytes)).description, row.example, row.constructor])
        }
        return text + "\n" + table.render(indent: "  ")
    }
}
