/// Runs a native capture with the sampling method asked for: `auto` takes perf_event when
/// the kernel allows it and the configuration does not need ptrace (`--idle`, the naive
/// benchmark reference), and falls back to ptrace, saying why, when the kernel refuses.
public enum NativeCPUCapture {
    public static func run(pid: Int32, configuration: SamplerConfiguration, choice: SamplingMethodChoice,
                           processName: String, progress: (Double) -> Void = { _ in }) throws -> NativeCapture {
        let needsPtrace = configuration.includeIdle || configuration.unwindWhileStopped
        switch choice {
        case .ptrace:
            return try NativeSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
        case .perfEvent:
            do {
                return try PerfEventSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
            } catch let refusal as PerfEventUnavailable {
                throw refusal.diagnosis
            }
        case .automatic:
            if !needsPtrace {
                do {
                    return try PerfEventSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
                } catch let refusal as PerfEventUnavailable {
                    var capture = try NativeSampler(pid: pid, configuration: configuration)
                        .run(processName: processName, progress: progress)
                    capture.notes.append("sampled with ptrace: \(refusal.reason)")
                    return capture
                }
            }
            return try NativeSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
        }
    }
}
