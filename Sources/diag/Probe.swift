import ArgumentParser
import DiagSupport
import Foundation
import NodeChannel

/// `diag probe PID`: wraps exported functions and sets logpoints in a running Node.js process,
/// reports each call tied to the HTTP request it ran under, and removes everything at the end.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Wrap functions and set logpoints in a running Node.js process, with each call tied to its HTTP request.",
        discussion: """
        Goes through diag's private channel to Node. Every wrapper, breakpoint and subscription is \
        removed when diag ends: at --duration, on Ctrl-C or SIGTERM, and when diag is killed (the \
        target sees the channel close). ES modules cannot be probed yet.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(name: .customLong("fn"), help: ArgumentHelp("An exported function to wrap: MODULE:EXPORT (MODULE is the end of a loaded file's path, or a builtin such as fs).", valueName: "module:export"))
    var functions: [FunctionProbeSpec] = []

    @Option(name: .customLong("log"), help: ArgumentHelp("A logpoint: evaluates EXPR each time line LINE of FILE runs, without pausing.", valueName: "file:line:expr"))
    var logpoints: [LogpointSpec] = []

    @Option(help: "How long to probe.")
    var duration = TimeSpan(seconds: 30)

    @Option(help: "Stop after this many events.")
    var maxEvents = 100_000

    @Option(help: "Hits per second above which a logpoint is rate-limited (skipped hits are counted).")
    var logRate = 1000

    @Flag(help: "Print one JSON object per event, then a summary line.")
    var json = false

    @Option(name: [.short, .long], help: ArgumentHelp("Also write a Trace Event file (one slice per call, one track per request).", valueName: "file"))
    var output: String?

    /// Events the target may queue before it drops them (counted in `dropped`).
    static let queueLimit = 10_000

    func validate() throws {
        guard !functions.isEmpty || !logpoints.isEmpty else { throw ValidationError("give at least one --fn MODULE:EXPORT or --log FILE:LINE:EXPR") }
        guard maxEvents >= 1 else { throw ValidationError("--max-events must be at least 1") }
        guard logRate >= 1 else { throw ValidationError("--log-rate must be at least 1") }
        guard duration.seconds > 0 else { throw ValidationError("--duration must be more than 0") }
    }

    func run() throws {
        StopRequest.install()
        if let output, output != "-" { try OutputFile.check(output) }
        let started = MonotonicClock.seconds()
        var report = ProbeReport(functions: functions.map(\.name), logpoints: logpoints.map(\.name),
                                 maxEvents: maxEvents, keepEvents: output != nil)
        try NodeChannel.withChannel(pid: target.pid, purpose: "diag probe instruments Node.js functions") { channel in
            channel.notes.forEach { Terminal.printError("diag: note: \($0)") }
            channel.onEvent("probe.events") { value in
                for case let event as [String: Any] in (value as? [Any]) ?? [] {
                    if let kept = report.add(event), json { Terminal.printOut(ProbeReport.jsonText(kept) + "\n") }
                }
            }
            do {
                try channel.install("probe", source: ProbeAgent.source(configurationJSON: configurationJSON()))
            } catch let error as DiagError {
                throw DiagError(.failure, "cannot probe: \(Self.firstLine(error.message)); nothing was installed")
            }
            let breakpoints = try setLogpoints(channel)
            Terminal.printError("probing \(functions.count) functions and \(logpoints.count) logpoints in \(target.pid)")
            try channel.pump(seconds: duration.seconds) { report.isFull }
            if let counters = try channel.evaluate(ProbeAgent.flushExpression) as? [String: Any] {
                report.dropped = counters["dropped"] as? Int ?? 0
                report.hookErrors = counters["hookErrors"] as? Int ?? 0
                report.setRateLimited((counters["skipped"] as? [Any] ?? []).map { $0 as? Int ?? 0 })
            }
            for id in breakpoints { _ = try? channel.call("Debugger.removeBreakpoint", ["breakpointId": id]) }
        }
        let seconds = MonotonicClock.seconds() - started
        for stat in report.stats where stat.rateLimited > 0 {
            Terminal.printError("diag: logpoint \(stat.probe) fired more than \(logRate) times a second and was rate-limited: \(stat.rateLimited) hits skipped")
        }
        if let output { try OutputFile.write(report.traceEvents(pid: target.pid), to: output) }
        if json {
            Terminal.printOut(ProbeReport.jsonText(report.summaryLine(pid: target.pid, seconds: seconds)) + "\n")
        } else {
            Terminal.printOut(report.text(pid: target.pid, seconds: seconds) + (output.map { "\nWrote \($0)\n" } ?? ""))
        }
    }

    /// Sets one conditional breakpoint per logpoint; returns their ids.
    private func setLogpoints(_ channel: NodeChannel) throws -> [String] {
        guard !logpoints.isEmpty else { return [] }
        try channel.call("Debugger.enable")
        var ids: [String] = []
        for (index, logpoint) in logpoints.enumerated() {
            let result = try channel.call("Debugger.setBreakpointByUrl", [
                "urlRegex": logpoint.urlRegex, "lineNumber": logpoint.line - 1, "columnNumber": 0,
                "condition": ProbeAgent.condition(index: index, expression: logpoint.expression),
            ])
            if let id = result["breakpointId"] as? String { ids.append(id) }
            if (result["locations"] as? [Any])?.isEmpty ?? true {
                Terminal.printError("diag: warning: no loaded script ends with \(logpoint.file) at line \(logpoint.line); the logpoint applies if one loads")
            }
        }
        return ids
    }

    private func configurationJSON() -> String {
        ProbeReport.jsonText([
            "functions": functions.map { ["module": $0.module, "export": $0.export, "name": $0.name] },
            "logpoints": logpoints.map(\.name),
            "queueLimit": Self.queueLimit, "batchSize": 200, "logRate": logRate, "flushMilliseconds": 50,
        ] as [String: Any])
    }

    /// The message of a JavaScript error without its stack.
    static func firstLine(_ message: String) -> String {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        guard let range = line.range(of: "Error: ", options: .backwards) else { return line }
        return String(line[range.upperBound...])
    }
}
