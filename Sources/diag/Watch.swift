import ArgumentParser
import DiagSupport

/// `diag watch PID`: captures that trigger themselves on event-loop lag, CPU or heap growth.
/// Not built yet: it parses its options and says so, exiting with status 69.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Take CPU profiles or heap snapshots when lag, CPU or heap growth pass a threshold (not implemented yet)."
    )

    @OptionGroup var target: TargetOption

    @Option(help: "Event-loop lag p99 over 5 s that triggers a 10 s CPU profile.")
    var lag = TimeSpan(seconds: 0.2)

    @Option(help: "Growth of the used heap since the start that triggers two heap snapshots a minute apart.")
    var heapGrowth = ByteSize(bytes: 50_000_000)

    @Option(help: "CPU use (percent of one core) that triggers a 10 s CPU profile.")
    var cpu = "90%"

    @Option(name: .customLong("for"), help: "How long to watch.")
    var watchFor = TimeSpan(seconds: 600)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Directory for the captures.", valueName: "dir"))
    var output = "."

    func run() throws {
        throw DiagError.notImplemented("diag watch")
    }
}
