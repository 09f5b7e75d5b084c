import ArgumentParser
import DiagSupport
import Inventory

/// `diag ps`: the processes diag can look at.
struct PS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ps",
        abstract: "List the processes that can be diagnosed, with their runtime and inspector state.",
        discussion: "Node.js is recognised from the binary (its exported symbols), not from the command name. The inspector column shows where a Node.js inspector listens; '-' means closed."
    )

    @OptionGroup var report: ReportOptions

    func run() throws {
        let entries = ProcessListing.list()
        if report.json {
            try JSONOutput.print(entries)
            return
        }
        guard !report.quiet else { return }
        var table = TextTable(["PID", "USER", "RUNTIME", "THREADS", "RSS", "INSPECTOR", "COMMAND"],
                              alignments: [.right, .left, .left, .right, .right, .left, .left])
        for entry in entries {
            let runtime = entry.runtime == "node" ? "Node.js" + (entry.nodeVersion.map { " \($0)" } ?? "") : "native"
            let inspector = entry.inspector.map { "\($0.address):\($0.port)" } ?? "-"
            let command = entry.command.count > 80 ? String(entry.command.prefix(77)) + "..." : entry.command
            table.add([String(entry.pid), entry.user, runtime, String(entry.threads),
                       ByteSize.format(entry.residentBytes), inspector, command])
        }
        Terminal.printOut(table.render())
    }
}
