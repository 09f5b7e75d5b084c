import DiagSupport
import NativeProfiler
import Profiles
import TargetProcess

extension Top {
    /// One-second native captures, one after another: every thread is detached (or its
    /// perf_event stream closed) at the end of each window; the symbolizer's caches and the
    /// assembler's function table are kept across windows.
    func runNative(_ process: TargetProcess, _ screen: TopScreen) throws {
        let resolver = try FrameResolver(target: process)
        var assembler = ProfileAssembler(resolver: resolver)
        let configuration = SamplerConfiguration(rate: rate, duration: 1, thread: thread)
        let choice = SamplingMethodChoice(rawValue: sampler) ?? .automatic
        var meter = ProcessCPUMeter(pid: process.pid)
        while screen.wantsMore {
            let capture = try NativeCPUCapture.run(pid: process.pid, configuration: configuration, choice: choice,
                                                   processName: process.name) { _ in screen.handleKeys() }
            if screen.quitRequested { break }
            if case .stopRequested = capture.endReason { break }
            let assembled = assembler.assemble(capture)
            screen.header.cpuPercent = meter.percent()
            screen.header.cost = Top.costLine(capture.impact)
            screen.header.notes = capture.notes
            screen.add(TopWindow(end: MonotonicClock.seconds(), profile: assembled.profile))
            switch capture.endReason {
            case .targetExited: throw DiagError(.notFound, "process \(process.pid) exited")
            case .threadExited: throw DiagError(.notFound, "thread \(thread ?? 0) of process \(process.pid) exited")
            case .completed, .stopRequested: continue
            }
        }
    }

    /// diag's own cost in the last window: how long ptrace kept a thread stopped per sample.
    static func costLine(_ impact: SamplerImpact) -> String {
        guard impact.method == .ptrace else { return "sampler perf_event: threads never stopped" }
        let stops = impact.stopMicroseconds
        return "ptrace stops p50 \(formatDecimal(stops.p50)) µs, p99 \(formatDecimal(stops.p99)) µs "
            + "(\(formatDecimal(impact.stoppedShare * 100, digits: 3))% of thread time)"
    }
}
