import ArgumentParser
import DiagSupport
import EventLoop
import Foundation
import NodeChannel
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
        StopRequest.install()
        let process = try TargetProcess(pid: target.pid)
        let file = try output.map { try OutputFile(path: $0) }
        if output == "-" && report.json {
            throw DiagError(.failure, "--json and -o - both write to standard output", hint: "write the trace to a file with -o")
        }
        let progress = ProgressLine(quiet: report.quiet || report.json)
        var notes: [String] = []
        let observation = try NodeChannel.withChannel(pid: target.pid, purpose: Self.purpose) { channel in
            notes = channel.notes
            if !report.quiet { channel.notes.forEach { Terminal.printError("diag: note: \($0)") } }
            var sampling: ThreadpoolSampling?
            var samplingNote: String?
            do {
                sampling = try ThreadpoolSampling(target: process, duration: duration.seconds)
            } catch {
                samplingNote = "\(error)"
            }
            progress.update("watching the event loop of \(target.pid) for \(duration)  (Ctrl-C ends early)", force: true)
            return try LoopObserver.observe(channel, duration: duration.seconds, threadpool: sampling, threadpoolNote: samplingNote)
        }
        progress.clear()

        let scripts = ScriptLines(pid: target.pid)
        var detector = BlockDetector(profile: observation.profile) { scripts.line(url: $0, line: $1) }
        let blocks = detector.blocks(thresholdMicroseconds: threshold.microseconds)
        if let file {
            try file.write(bytes: try LoopTrace.json(pid: target.pid, blocks: blocks, windowStart: observation.profile.startTime,
                                                     windowEnd: observation.profile.endTime))
            try file.commit()
        }
        let summary = LoopReport(pid: target.pid,
                                 windowMilliseconds: Double(observation.profile.endTime - observation.profile.startTime) / 1000,
                                 thresholdMilliseconds: threshold.milliseconds, blocks: blocks, lag: observation.lag,
                                 utilization: detector.utilization,
                                 threadpool: observation.threadpool, threadpoolNote: observation.threadpoolNote,
                                 output: output, notes: notes)
        if report.json {
            try JSONOutput.print(summary)
        } else if !report.quiet {
            let text = summary.renderText()
            if output == "-" { Terminal.printError(text) } else { Terminal.printOut(text) }
        }
    }
}
