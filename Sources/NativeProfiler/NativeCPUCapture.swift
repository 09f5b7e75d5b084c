/// Runs a native capture with the sampling method asked for: `auto` takes perf_event when
/// the kernel allows it and the configuration does not need ptrace (`--idle`, the naive
/// benchmark reference), and falls back to ptrace, saying why, when the kernel refuses.
/// With `javaScriptFrames` (`--mixed`) either sampler names V8's JavaScript frames too.
public enum NativeCPUCapture {
    public static func run(pid: Int32, configuration: SamplerConfiguration, choice: SamplingMethodChoice,
                           processName: String, javaScriptFrames: MixedStackRewriter? = nil,
                           progress: (Double) -> Void = { _ in }) throws -> NativeCapture {
        var capture = try capture(pid: pid, configuration: configuration, choice: choice, processName: processName,
                                  javaScriptFrames: javaScriptFrames, progress: progress)
        if let javaScriptFrames {
            capture.javaScriptFunctions = javaScriptFrames.functions
            capture.javaScriptFrames = JavaScriptFrameCounts(named: javaScriptFrames.namedFrames,
                                                             unknown: javaScriptFrames.unnamedFrames)
        }
        return capture
    }

    private static func capture(pid: Int32, configuration: SamplerConfiguration, choice: SamplingMethodChoice,
                                processName: String, javaScriptFrames: MixedStackRewriter?,
                                progress: (Double) -> Void) throws -> NativeCapture {
        func withPtrace() throws -> NativeCapture {
            let sampler = NativeSampler(pid: pid, configuration: configuration)
            sampler.javaScriptFrames = javaScriptFrames
            return try sampler.run(processName: processName, progress: progress)
        }
        func withPerfEvent() throws -> NativeCapture {
            let sampler = PerfEventSampler(pid: pid, configuration: configuration)
            sampler.javaScriptFrames = javaScriptFrames
            return try sampler.run(processName: processName, progress: progress)
        }
        switch choice {
        case .ptrace:
            return try withPtrace()
        case .perfEvent:
            do {
                return try withPerfEvent()
            } catch let refusal as PerfEventUnavailable {
                throw refusal.diagnosis
            }
        case .automatic:
            if configuration.includeIdle || configuration.unwindWhileStopped { return try withPtrace() }
            do {
                return try withPerfEvent()
            } catch let refusal as PerfEventUnavailable {
                var capture = try withPtrace()
                capture.notes.append("sampled with ptrace: \(refusal.reason)")
                return capture
            }
        }
    }
}
