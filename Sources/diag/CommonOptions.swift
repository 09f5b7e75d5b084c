import ArgumentParser

/// Options every command that reports has: `--json` and `--quiet`.
struct ReportOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress display and no summary text (errors are still printed).")
    var quiet = false
}

/// `-o/--output` for commands that write a file.
struct OutputOption: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "Output file ('-' for standard output).",
        discussion: "Default: COMMAND-NAME-PID-DATE-TIME.EXT in the current directory.",
        valueName: "file"))
    var output: String?
}

/// The process to attach to.
struct TargetOption: ParsableArguments {
    @Argument(help: ArgumentHelp("The process id of the target.", valueName: "pid"))
    var pid: Int32

    func validate() throws {
        guard pid > 0 else { throw ValidationError("a process id is a positive number") }
    }
}
