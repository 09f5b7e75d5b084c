import ArgumentParser
import DiagSupport
import Glibc
import NativeProfiler
import TargetProcess

/// `diag top PID`: a live view of the hottest functions over the last few seconds.
struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Show a running process's hottest functions, live.",
        discussion: """
        Samples the target in one-second windows and shows, every second, the functions with the \
        most samples over the last 5 seconds, by self share (the function itself was running) or \
        total share (it was on the stack), for all threads together or per thread. Node.js targets \
        show JavaScript functions (V8's sampler, through diag's private channel); other processes, or \
        any with --native, native functions (perf_event or ptrace, threads detached between windows). \
        On a terminal the view is full-screen: q quits, t toggles per-thread sections, s switches \
        between self and total, space pauses. When standard output is not a terminal diag prints \
        one plain-text frame per second.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(help: "Samples per second.")
    var rate = 99

    @Option(help: ArgumentHelp("Sample only this thread (native).", valueName: "tid"))
    var thread: Int32?

    @Flag(help: "Use the native sampler even on a Node.js target.")
    var native = false

    @Option(help: ArgumentHelp("Native sampling method: auto, perf or ptrace (as for diag cpu).", valueName: "method"))
    var sampler = "auto"

    @Flag(help: "Start with one section per thread (the t key toggles it).")
    var perThread = false

    @Option(help: ArgumentHelp("Sort by self or total share at first (the s key switches).", valueName: "column"))
    var sort = "self"

    @Option(help: ArgumentHelp("End after this many frames (one a second).", valueName: "n"))
    var iterations: Int?

    @Option(help: "End after this long (10s, 2m); without it and --iterations diag top runs until q or Ctrl-C.")
    var duration: TimeSpan?

    func validate() throws {
        guard rate > 0 && rate <= 10_000 else { throw ValidationError("--rate must be between 1 and 10000") }
        guard SamplingMethodChoice(rawValue: sampler) != nil else { throw ValidationError("--sampler must be auto, perf or ptrace") }
        guard sort == "self" || sort == "total" else { throw ValidationError("--sort must be self or total") }
        if let iterations, iterations < 1 { throw ValidationError("--iterations must be at least 1") }
        if let duration, duration.seconds <= 0 { throw ValidationError("--duration must be longer than 0") }
    }

    func run() throws {
        let process = try TargetProcess(pid: target.pid)
        let isNode = !native && RuntimeDetector.detect(process).isNode
        if isNode {
            guard thread == nil, sampler == "auto" else {
                throw DiagError(.failure, "--thread and --sampler apply to native sampling", hint: "add --native")
            }
        }
        StopRequest.install()
        let interactive = Terminal.isTerminal(STDOUT_FILENO) && Terminal.isTerminal(STDIN_FILENO)
        let title = "diag top  process \(process.pid) (\(process.name))  \(rate) Hz  " + (isNode ? "JavaScript" : "native")
        let screen = try TopScreen(interactive: interactive,
                                   view: TopView(sortByTotal: sort == "total", perThread: perThread, interactive: interactive),
                                   header: TopView.Header(title: title, cpuPercent: nil, cost: ""),
                                   iterations: iterations, duration: duration?.seconds)
        defer { screen.close() }
        if isNode {
            try runNode(screen)
        } else {
            try runNative(process, screen)
        }
    }
}
