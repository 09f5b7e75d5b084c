import CUnwindShim

/// How long one sample kept its thread stopped, and where that time went, in nanoseconds.
struct StopTiming {
    /// From PTRACE_INTERRUPT until diag saw the thread stopped (the thread was running).
    var interrupt: Int64
    /// From diag seeing the thread stopped until it runs again.
    var stop: Int64
    /// The phases of `stop`: reading the registers, copying the stack, resuming the thread.
    var registers: Int64
    var stackCopy: Int64
    var resume: Int64
    /// False when the stack was copied twice: the copy taken around the thread's previous
    /// stack pointer missed (it moved more than DIAG_STACK_HINT_MARGIN, or it was the first sample).
    var hintServed: Bool

    init(_ snapshot: diag_thread_snapshot) {
        interrupt = snapshot.interrupt_latency_ns
        stop = snapshot.stop_duration_ns
        registers = snapshot.registers_ns
        stackCopy = snapshot.stack_copy_ns
        resume = snapshot.resume_ns
        hintServed = snapshot.hint_served != 0
    }
}
