import ArgumentParser
import DiagSupport

/// `diag heap PID`: V8 heap snapshots of a Node.js process.
struct Heap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heap",
        abstract: "Take V8 heap snapshots of a running Node.js process.",
        discussion: """
        Opens the inspector with SIGUSR1 if needed (only after verifying the target is Node.js) \
        and closes it again. Several snapshots (--count) are taken in one inspector session so \
        that object ids stay comparable for 'diag diff'.
        """
    )

    @OptionGroup var target: TargetOption

    @Flag(help: "Collect garbage before each snapshot.")
    var gc = false

    @Option(help: "Number of snapshots to take, written as NAME-1, NAME-2, ...")
    var count = 1

    @Option(help: "Time between snapshots when --count is more than 1.")
    var interval = TimeSpan(seconds: 30)

    @Flag(help: "Take the snapshot even when it may exceed the target's memory limit.")
    var force = false

    @OptionGroup var output: OutputOption
    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        throw DiagError.notImplemented("diag heap")
    }
}
