/// How the native sampler takes its samples.
public enum SamplingMethod: String, Codable, Sendable, CaseIterable {
    /// A perf_event CPU-clock timer per thread: the kernel copies registers and stack from
    /// its interrupt and the thread is never stopped (as `perf record --call-graph dwarf`).
    /// Needs perf_event_open to be permitted (root, CAP_PERFMON, or perf_event_paranoid ≤ 1,
    /// and no seccomp filter against it); samples only threads that are on a CPU.
    case perfEvent = "perf_event"
    /// PTRACE_SEIZE, then per sample PTRACE_INTERRUPT, registers and a stack copy, and resume:
    /// works wherever ptrace does, and can sample threads that are not on a CPU (`--idle`).
    case ptrace
}

/// The method asked for on the command line (`--sampler`).
public enum SamplingMethodChoice: String, Sendable, CaseIterable {
    /// perf_event when the kernel allows it and nothing needs ptrace, ptrace otherwise.
    case automatic = "auto"
    case perfEvent = "perf"
    case ptrace
}
