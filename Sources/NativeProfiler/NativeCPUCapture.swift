/// Runs a native capture with the sampling method asked for: `auto` takes perf_event when
/// the kernel allows it and the configuration does not need ptrace (`--idle`, the naive
/// benchmark reference), and falls back to ptrace, saying why, when the kernel refuses.
public enum NativeCPUCapture {
    public static func run(pid: Int32, configuration: SamplerConfiguration, choice: SamplingMethodChoice,
                           processName: String, progress: (Double) -> Void = { _ in }) throws -> NativeCapture {
        func withPtrace() throws -> NativeCapture {
            try NativeSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
        }
        func withPerfEvent() throws -> NativeCapture {
            try PerfEventSampler(pid: pid, configuration: configuration).run(processName: processName, progress: progress)
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
