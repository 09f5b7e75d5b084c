import DiagSupport
import Foundation
import NativeProfiler
import Profiles
import TargetProcess

extension CPU {
    /// Samples native stacks (perf_event or ptrace, then libunwind), writes the profile and prints the summary.
    /// With `javaScriptFrames` (`--mixed`) V8's JavaScript frames are named in every sample.
    func runNativeProfile(_ target: TargetProcess, format: ProfileFormat,
                          javaScriptFrames: (TargetProcess) throws -> MixedStackRewriter? = { _ in nil }) throws {
        let requestedPath = output.output ?? defaultOutputName(command: "cpu", target: target.name, pid: target.pid,
                                                            fileExtension: format.fileExtension)
        if requestedPath == "-" && report.json {
            throw DiagError(.failure, "--json and -o - both write to standard output", hint: "write the profile to a file with -o")
        }
        let file = writesFile ? try OutputFile(path: requestedPath, uniqueName: output.output == nil) : nil
        let pusher = try profilePush(processName: target.name)
        let resolver = try FrameResolver(target: target)
        let rewriter = try javaScriptFrames(target)
        resolver.embeddedBuiltins = rewriter?.naming.embeddedBuiltins
        let configuration = SamplerConfiguration(rate: rate, duration: duration.seconds, thread: thread, includeIdle: idle,
                                                 stackCopySize: Int(stackSize.bytes) & ~7, unwindWhileStopped: unwindWhileStopped)
        let progress = ProgressLine(quiet: report.quiet)
        StopRequest.install()
        let choice = SamplingMethodChoice(rawValue: sampler) ?? .automatic
        let capture = try NativeCPUCapture.run(pid: target.pid, configuration: configuration, choice: choice,
                                               processName: target.name, javaScriptFrames: rewriter) { elapsed in
            progress.update("sampling \(target.pid) \(rewriter == nil ? "natively" : "natively with JavaScript frames"): \(formatDecimal(elapsed))s of \(duration)  (Ctrl-C ends early)")
        }
        progress.clear()

        let postProcessingStart = MonotonicClock.seconds()
        var assembler = ProfileAssembler(resolver: resolver)
        let assembled = assembler.assemble(capture)
        try file?.write(bytes: try format.encode(assembled.profile))
        let postProcessing = MonotonicClock.seconds() - postProcessingStart
        try file?.commit()
        let outputPath = file?.displayPath ?? "no file (pushed only)"
        let pushed = try pusher?.send(assembled.profile, sampleRate: rate)

        let summary = NativeCPUReport(capture: capture, assembled: assembled, output: outputPath, format: format.rawValue,
                                      postProcessingSeconds: postProcessing)
        if report.json {
            try JSONOutput.print(PushedReport(report: summary, push: pushed))
        } else if !report.quiet {
            let text = summary.renderText() + (pushed.map { $0.renderText() } ?? "")
            if outputPath == "-" { Terminal.printError(text) } else { Terminal.printOut(text) }
        }
    }
}
