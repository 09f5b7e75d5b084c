import DiagSupport
import Foundation
import NativeProfiler
import NodeChannel
import NodeInspector
import Profiles

/// `diag cpu` on a Node.js target: V8's sampling profiler through the inspector.
extension CPU {
    /// What `--json` prints for a Node.js profile.
    struct NodeReport: Encodable {
        var pid: Int32
        var runtime: String
        var output: String
        var worker: String?
        var workers: [NodeWorkerInfo]
        var samples: Int
        var durationMilliseconds: Double
        var stoppedEarly: Bool
        var inspector: InspectorReport
        var topFunctions: [ProfileSummary.FunctionShare]
    }

    func runNode() throws {
        guard thread == nil, !idle, sampler == "auto", stackSize.bytes == Int64(SamplerConfiguration.defaultStackCopySize) else {
            throw DiagError(.failure, "--thread, --idle, --sampler and --stack-size apply to native sampling",
                            hint: "add --native, or use --worker ID for a worker thread")
        }
        guard format == "cpuprofile" else {
            throw DiagError(.failure, "on a Node.js target diag writes V8's own .cpuprofile; --format \(format) needs --native")
        }
        StopRequest.install()
        let node = try NodeTarget(pid: target.pid, purpose: "JavaScript CPU profiles need a V8 target")
        let path = output.output ?? defaultOutputName(command: "cpu", target: node.scriptName, pid: target.pid, fileExtension: "cpuprofile")
        let file = try OutputFile(path: path)
        let progress = ProgressLine(quiet: report.quiet || report.json)
        let result = try NodeChannel.withChannel(pid: target.pid, purpose: "JavaScript CPU profiles need a V8 target") { session in
            session.notes.forEach { Terminal.printError("diag: note: \($0)") }
            let workers = try session.listWorkers()
            var selected: NodeWorkerInfo?
            if let worker {
                guard let match = workers.first(where: { $0.workerId == worker }) else {
                    let known = workers.isEmpty ? "it has none" : "its workers are " + workers.map(\.workerId).joined(separator: ", ")
                    throw DiagError(.notFound, "process \(target.pid) has no worker thread \(worker); \(known)")
                }
                selected = match
            }
            let capture = try session.captureCPUProfile(duration: duration.seconds, intervalMicroseconds: max(1, 1_000_000 / rate),
                                                        worker: selected) { elapsed in
                progress.update("profiling \(target.pid): \(formatDecimal(elapsed))s of \(duration)  (Ctrl-C stops early)")
            }
            progress.clear()
            return (capture, workers, InspectorReport(session))
        }
        let (capture, workers, inspector) = result
        try file.write(bytes: capture.profileJSON)
        try file.commit()

        let summary = ProfileSummary(profile: capture.profile)
        if report.json {
            try JSONOutput.print(NodeReport(pid: target.pid, runtime: "node", output: path, worker: worker, workers: workers,
                                            samples: summary.sampleCount, durationMilliseconds: summary.durationMilliseconds,
                                            stoppedEarly: capture.stoppedEarly, inspector: inspector,
                                            topFunctions: Array(summary.bySelf.prefix(20))))
            return
        }
        guard !report.quiet else { return }
        var text = "Wrote \(path): \(summary.sampleCount) samples over \(formatDecimal(summary.durationMilliseconds / 1000))s"
        text += worker.map { " on worker \($0)" } ?? " on the main thread"
        text += capture.stoppedEarly ? " (stopped early)\n" : "\n"
        if !workers.isEmpty {
            text += "Worker threads (profile one with --worker ID):\n"
            for info in workers { text += "  \(info.workerId)  \(info.title)  \(info.url)\n" }
        }
        text += "\n" + summary.renderTopFunctions()
        // With -o - the profile owns standard output.
        if path == "-" { Terminal.printError(text) } else { Terminal.printOut(text) }
    }
}
