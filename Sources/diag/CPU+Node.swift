import DiagSupport
import Foundation
import NativeProfiler
import NodeChannel
import NodeInspector
import Profiles
import TargetProcess

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
        let fileFormat = ProfileFormat(rawValue: format) ?? .cpuprofile
        guard fileFormat == .cpuprofile || fileFormat == .pprof else {
            throw DiagError(.failure, "on a Node.js target diag writes V8's .cpuprofile or pprof; --format \(format) needs --native")
        }
        StopRequest.install()
        let node = try NodeTarget(pid: target.pid, purpose: "JavaScript CPU profiles need a V8 target")
        let requestedPath = output.output ?? defaultOutputName(command: "cpu", target: node.scriptName, pid: target.pid,
                                                            fileExtension: fileFormat.fileExtension)
        let file = writesFile ? try OutputFile(path: requestedPath, uniqueName: output.output == nil) : nil
        let processName = (try? TargetProcess(pid: target.pid).name) ?? "node"
        let pusher = try profilePush(processName: processName)
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
        // The main thread's tid is the pid; a worker's OS tid is not known through the inspector.
        let thread = worker.map { SampledProfile.JavaScriptThread(tid: 0, name: "worker \($0)") }
            ?? SampledProfile.JavaScriptThread(tid: target.pid, name: "main")
        let sampled = SampledProfile(javaScript: capture.profile, pid: target.pid, processName: processName, thread: thread,
                                     sampleInterval: Int64(max(1, 1_000_000 / rate)))
        try file?.write(bytes: fileFormat == .pprof ? [UInt8](try PprofExporter.gzipped(sampled)) : capture.profileJSON)
        try file?.commit()
        let path = file?.displayPath ?? "no file (pushed only)"
        let pushed = try pusher?.send(sampled, sampleRate: rate)

        let summary = ProfileSummary(profile: capture.profile)
        if report.json {
            let nodeReport = NodeReport(pid: target.pid, runtime: "node", output: path, worker: worker, workers: workers,
                                        samples: summary.sampleCount, durationMilliseconds: summary.durationMilliseconds,
                                        stoppedEarly: capture.stoppedEarly, inspector: inspector,
                                        topFunctions: Array(summary.bySelf.prefix(20)))
            try JSONOutput.print(PushedReport(report: nodeReport, push: pushed))
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
        text += pushed.map { $0.renderText() } ?? ""
        // With -o - the profile owns standard output.
        if path == "-" { Terminal.printError(text) } else { Terminal.printOut(text) }
    }
}
