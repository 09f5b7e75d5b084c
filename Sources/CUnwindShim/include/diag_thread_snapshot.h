#ifndef DIAG_THREAD_SNAPSHOT_H
#define DIAG_THREAD_SNAPSHOT_H
// Taking a snapshot of one ptrace-seized thread: stop it, read its registers, copy the top
// of its stack in one process_vm_readv, let it run again. Unwinding happens later, from
// the copy (see diag_snapshot_unwind.h), so the thread stays stopped only for the copy.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Registers kept per snapshot, in libunwind's x86_64 numbering: rax, rdx, rcx, rbx, rsi,
/// rdi, rbp, rsp, r8..r15, rip.
#define DIAG_SNAPSHOT_REGISTER_COUNT 17
#define DIAG_SNAPSHOT_REGISTER_SP 7
#define DIAG_SNAPSHOT_REGISTER_IP 16

/// What one snapshot holds besides the stack bytes.
typedef struct diag_thread_snapshot {
    uint64_t registers[DIAG_SNAPSHOT_REGISTER_COUNT];
    /// The address of the first copied byte: the stack pointer.
    uint64_t stack_address;
    /// How many bytes of stack were copied (less than asked near the stack's top end).
    uint64_t stack_size;
    /// CLOCK_MONOTONIC nanoseconds at the moment the thread was seen stopped.
    int64_t stopped_at_ns;
    /// Nanoseconds from PTRACE_INTERRUPT until diag saw the thread stopped. A thread that
    /// was waiting for a CPU only stops once it gets one, so this includes that wait.
    int64_t interrupt_latency_ns;
    /// Nanoseconds the thread stayed stopped: from diag seeing it stopped to it running again.
    int64_t stop_duration_ns;
    /// The phases of the stop, in nanoseconds: reading the registers (which includes waiting
    /// for the thread to leave its CPU), copying the stack, and resuming the thread.
    int64_t registers_ns, stack_copy_ns, resume_ns;
    /// 1 when the copy taken around the stack hint served, 0 when it was read again (or there
    /// was no hint).
    int32_t hint_served;
} diag_thread_snapshot;

/// The outcome of taking a snapshot.
typedef enum diag_snapshot_status {
    /// The snapshot is complete and the thread runs again.
    DIAG_SNAPSHOT_TAKEN = 0,
    /// The thread exited (it was reaped); nothing to sample.
    DIAG_SNAPSHOT_THREAD_GONE = 1,
    /// The thread is stopped by job control (SIGSTOP...); it stays stopped, no snapshot.
    DIAG_SNAPSHOT_JOB_STOPPED = 2,
    /// ptrace refused; `error_code` holds errno. The thread runs.
    DIAG_SNAPSHOT_FAILED = 3,
} diag_snapshot_status;

/// How far a thread's stack pointer may have moved since its previous sample for the stack
/// copy to be taken around the previous one (see diag_take_thread_snapshot).
#define DIAG_STACK_HINT_MARGIN 4096

/// Takes a snapshot of seized thread `tid` of process `pid` into `stack` (`capacity` bytes).
/// A signal that arrives meanwhile is delivered when the thread resumes. Returns a
/// diag_snapshot_status.
///
/// `stack_hint` is the thread's stack pointer at its previous sample, or 0. With a hint the
/// copy starts at `stack_hint - DIAG_STACK_HINT_MARGIN` and is read right after the thread
/// stops, before its registers (reading the registers first waits for the thread to leave its
/// CPU; the copy fills that wait); it is kept when the stack pointer is within the margin of
/// the hint, so at least `capacity - 2 * DIAG_STACK_HINT_MARGIN` bytes above the stack pointer
/// are copied (or all of them up to the stack's end). Otherwise the copy is read again from the
/// stack pointer up. A hint also lets diag touch the stack before stopping the thread, which
/// moves the kernel's first-read cost out of the stop.
int diag_take_thread_snapshot(pid_t pid, pid_t tid, uint64_t stack_hint, uint8_t *stack, size_t capacity,
                              diag_thread_snapshot *snapshot, int *error_code);

/// Handles a thread that is in a ptrace-stop diag did not cause (a signal arrived for a
/// seized thread, or job control stopped it): a signal is delivered and the thread runs,
/// a job-control stop is kept. Returns a diag_snapshot_status (TAKEN meaning: it runs).
int diag_release_unexpected_stop(pid_t tid);

/// Detaches from seized thread `tid`, delivering any signal it holds; reaps it when it has
/// exited. Returns 0, or an errno value when the kernel refused.
int diag_detach_thread(pid_t tid);

/// Takes a snapshot the naive way, for benchmarks: stops the thread and unwinds it with
/// libunwind-ptrace while it stays stopped. `ips` receives up to `capacity` addresses and
/// `count` their number. Returns a diag_snapshot_status.
int diag_take_stopped_unwind(pid_t tid, uint64_t *ips, int capacity, int *count,
                             diag_thread_snapshot *snapshot, int *error_code);

/// Makes the calling thread notice when a seized thread stops on its own (a signal arrived
/// for it, or it exited): SIGCHLD gets a handler and is blocked except while sleeping in
/// `diag_sleep_until`. Call once before sampling.
void diag_watch_tracee_events(void);

/// Sleeps until CLOCK_MONOTONIC reaches `deadline_ns`. Returns 0 at the deadline, 1 when a
/// seized thread stopped or exited meanwhile (handle it with diag_release_unexpected_stop,
/// then sleep again), -1 when another signal (SIGINT, SIGTERM) interrupted the sleep.
int diag_sleep_until(int64_t deadline_ns);

/// Sleeps until a seized thread stops or exits (SIGCHLD arrives; it leaves the event for
/// `diag_sleep_until` to see too), a signal arrives, or `timeout_ns` passed. Without
/// `diag_watch_tracee_events` in effect, SIGCHLD does not wake it and it sleeps out the timeout.
void diag_wait_for_tracee_event(int64_t timeout_ns);

/// Switches the calling thread to SCHED_FIFO priority 1 (when it may), so that a busy
/// scheduler cannot leave a target thread stopped while diag waits for a CPU. Samplers hold
/// it for a whole capture rather than per sample: the two system calls per sample cost
/// diag ~20 µs. Returns false when not permitted (no CAP_SYS_NICE), after which it stops asking.
bool diag_raise_priority(void);

/// Returns the calling thread to SCHED_OTHER when `raised`.
void diag_restore_priority(bool raised);

/// CLOCK_MONOTONIC in nanoseconds.
int64_t diag_monotonic_ns(void);

#endif
