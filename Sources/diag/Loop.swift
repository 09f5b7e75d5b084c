import ArgumentParser
import DiagSupport
import TargetProcess

/// `diag loop PID`: what blocks a Node.js event loop and what fills its libuv threadpool.
struct Loop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop",
        abstract: "Find what blocks a Node.js event loop, how late it runs, and what fills its threadpool.",
        discussion: """
        Watches the target for --duration through diag's private channel to Node: V8's sampling \
        profiler at a fine interval (split where the loop was idle, each busy stretch of at least \
        --threshold a block, charged to the function holding most of it), Node's loop-delay \
        histogram and event-loop utilization, and the native stacks of libuv's worker threads. \
        Nothing stays installed in the target afterwards.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(help: "How long to watch (10s, 1m). Ctrl-C ends early.")
    var duration = TimeSpan(seconds: 10)

    @Option(help: "The shortest time without returning to the event loop that counts as a block.")
    var threshold = TimeSpan(seconds: 0.05)

    @Option(name: [.short, .long], help: ArgumentHelp(
        "Also write the blocks as a Trace Event file (each block a slice on the main thread; DevTools' Performance panel).",
        valueName: "file"))
    var output: String?

    @OptionGroup var report: ReportOptions

    static let purpose = "diag loop watches a Node.js event loop"

    func validate() throws {
        guard duration.seconds > 0 else { throw ValidationError("--duration must be longer than 0") }
        guard threshold.seconds > 0 else { throw ValidationError("--threshold must be longer than 0") }
    }

    func run() throws {
        let process = try TargetProcess(pid: target.pid)
        guard RuntimeDetector.detect(process).isNode else {
            throw DiagError(.unsupportedTarget, "process \(target.pid) is not a Node.js process; \(Self.purpose)")
        }
        throw DiagError(.notImplemented, "diag loop is not implemented in this build: it needs diag's private channel to Node (issue 12), which is not in it yet")
    }
}
