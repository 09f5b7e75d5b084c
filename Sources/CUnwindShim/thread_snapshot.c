// Stopping one seized thread briefly: PTRACE_INTERRUPT, wait, a process_vm_readv of the
// stack, the registers, PTRACE_CONT. See diag_thread_snapshot.h.
#define _GNU_SOURCE
#include "diag_thread_snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

int64_t diag_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/// The kinds of ptrace-stop a wait can report.
typedef enum stop_kind { STOP_EXITED, STOP_INTERRUPT, STOP_SIGNAL, STOP_JOB_CONTROL, STOP_ERROR } stop_kind;

/// How long to poll for a thread's stop before sleeping. A thread on a CPU stops within
/// microseconds of PTRACE_INTERRUPT, and polling saves a context switch; a thread waiting
/// for a CPU takes longer, and polling would only keep the CPU from it.
#define STOP_POLL_NS 50000
/// The longest sleep between two looks at a thread that has not stopped yet (a stop wakes
/// diag at once through SIGCHLD when diag_watch_tracee_events is in effect).
#define STOP_SLEEP_NS 1000000
/// How long to wait for a stop at all. A thread that stops later is handled as a stop diag
/// did not cause (diag_release_unexpected_stop lets it run).
#define STOP_WAIT_LIMIT_NS 1000000000

/// True when `tid` has exited: it is a zombie, or gone. waitpid does not report a zombie
/// thread-group leader until every other thread is reaped, and traced threads wait for diag
/// to reap them: blocking in waitpid for the leader would never end.
static bool thread_has_exited(pid_t tid) {
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)tid);
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return errno == ENOENT || errno == ESRCH;
    ssize_t count = read(descriptor, text, sizeof text - 1);
    close(descriptor);
    if (count <= 0) return true;
    text[count] = 0;
    const char *name_end = strrchr(text, ')');  // the state follows the name, which may hold anything
    if (name_end == NULL || name_end[1] != ' ') return false;
    return name_end[2] == 'Z' || name_end[2] == 'X';
}

/// Waits for the next stop of `tid`; `signal` receives the signal of a signal-delivery or
/// job-control stop. `flags` may be WNOHANG (report STOP_ERROR when nothing is pending) or
/// 0 (poll briefly, then sleep until the stop, the thread's exit, or STOP_WAIT_LIMIT_NS,
/// after which it reports STOP_ERROR with errno ETIMEDOUT).
static stop_kind wait_for_stop(pid_t tid, int flags, int *signal) {
    int status = 0;
    int64_t start = diag_monotonic_ns();
    int64_t sleep_ns = STOP_POLL_NS;
    for (;;) {
        pid_t result = waitpid(tid, &status, __WALL | WNOHANG);
        if (result < 0 && errno == EINTR) continue;
        if (result < 0) return errno == ECHILD ? STOP_EXITED : STOP_ERROR;
        if (result > 0) break;
        if (flags & WNOHANG) return STOP_ERROR;  // nothing to report
        int64_t waited = diag_monotonic_ns() - start;
        if (waited < STOP_POLL_NS) continue;
        if (thread_has_exited(tid)) return STOP_EXITED;
        if (waited > STOP_WAIT_LIMIT_NS) {
            errno = ETIMEDOUT;
            return STOP_ERROR;
        }
        diag_wait_for_tracee_event(sleep_ns);
        if (sleep_ns < STOP_SLEEP_NS) sleep_ns *= 2;
    }
    if (!WIFSTOPPED(status)) return STOP_EXITED;
    int stop_signal = WSTOPSIG(status);
    int event = (unsigned)status >> 16;
    *signal = stop_signal;
    if (event == PTRACE_EVENT_STOP) {
        // With PTRACE_SEIZE a group-stop is an event stop carrying the stop signal.
        bool job_control = stop_signal == SIGSTOP || stop_signal == SIGTSTP || stop_signal == SIGTTIN
            || stop_signal == SIGTTOU;
        return job_control ? STOP_JOB_CONTROL : STOP_INTERRUPT;
    }
    if (event != 0) return STOP_INTERRUPT;  // no ptrace options are set; treat like an interrupt
    return STOP_SIGNAL;
}

/// Resumes a thread that stopped for a signal and still has diag's interrupt pending: the
/// signal is delivered, then the interrupt's own stop is waited for and ended. Every
/// further signal on the way is delivered too.
static void finish_pending_interrupt(pid_t tid, int signal) {
    for (;;) {
        if (ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal) != 0) return;
        stop_kind kind = wait_for_stop(tid, 0, &signal);
        if (kind == STOP_EXITED || kind == STOP_ERROR) return;
        if (kind == STOP_JOB_CONTROL) {
            ptrace(PTRACE_LISTEN, tid, NULL, NULL);
            return;
        }
        if (kind == STOP_INTERRUPT) {
            ptrace(PTRACE_CONT, tid, NULL, NULL);
            return;
        }
    }
}

static void copy_registers(const struct user_regs_struct *regs, uint64_t *out) {
    const uint64_t ordered[DIAG_SNAPSHOT_REGISTER_COUNT] = {
        regs->rax, regs->rdx, regs->rcx, regs->rbx, regs->rsi, regs->rdi, regs->rbp, regs->rsp,
        regs->r8, regs->r9, regs->r10, regs->r11, regs->r12, regs->r13, regs->r14, regs->r15, regs->rip,
    };
    memcpy(out, ordered, sizeof ordered);
}

/// Stops `tid` with PTRACE_INTERRUPT. Returns the status to report when it did not end in a
/// usable stop; `signal` is the signal to deliver on resume (0 for none).
static int stop_thread(pid_t tid, int *signal, bool *interrupt_pending, int *error_code) {
    *signal = 0;
    *interrupt_pending = false;
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0) {
        *error_code = errno;
        if (errno == ESRCH) {
            int status;
            waitpid(tid, &status, __WALL | WNOHANG);  // reap a thread that exited while traced
            return DIAG_SNAPSHOT_THREAD_GONE;
        }
        return DIAG_SNAPSHOT_FAILED;
    }
    int stop_signal = 0;
    switch (wait_for_stop(tid, 0, &stop_signal)) {
    case STOP_EXITED: return DIAG_SNAPSHOT_THREAD_GONE;
    case STOP_ERROR: *error_code = errno; return DIAG_SNAPSHOT_FAILED;
    case STOP_JOB_CONTROL:
        ptrace(PTRACE_LISTEN, tid, NULL, NULL);
        return DIAG_SNAPSHOT_JOB_STOPPED;
    case STOP_SIGNAL:
        *signal = stop_signal;
        *interrupt_pending = true;
        return DIAG_SNAPSHOT_TAKEN;
    case STOP_INTERRUPT: return DIAG_SNAPSHOT_TAKEN;
    }
    return DIAG_SNAPSHOT_FAILED;
}

static void resume_thread(pid_t tid, int signal, bool interrupt_pending) {
    if (interrupt_pending) {
        finish_pending_interrupt(tid, signal);
    } else {
        ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal);
    }
}

/// Copies up to `size` bytes of the target's memory at `address`; returns the bytes copied
/// (fewer at the end of a mapping, such as the top of the main thread's stack) or -1.
static ssize_t read_memory(pid_t pid, uint64_t address, void *buffer, size_t size) {
    struct iovec local = {.iov_base = buffer, .iov_len = size};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)address, .iov_len = size};
    return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

int diag_take_thread_snapshot(pid_t pid, pid_t tid, uint64_t stack_hint, uint8_t *stack, size_t capacity,
                              diag_thread_snapshot *snapshot, int *error_code) {
    memset(snapshot, 0, sizeof *snapshot);
    *error_code = 0;
    uint64_t window = stack_hint > DIAG_STACK_HINT_MARGIN ? stack_hint - DIAG_STACK_HINT_MARGIN : 0;
    if (window != 0) {
        // On this kind of machine (a KVM guest) the first process_vm_readv after a pause costs
        // ~20 µs more than the next one; paying it here, while the thread still runs, keeps it
        // out of the stop. One word at the thread's last stack pointer: it is reading the
        // stack at all, not these bytes, that warms the path.
        uint64_t word;
        read_memory(pid, stack_hint, &word, sizeof word);
    }
    int64_t begin = diag_monotonic_ns();
    int signal;
    bool interrupt_pending;
    int status = stop_thread(tid, &signal, &interrupt_pending, error_code);
    if (status != DIAG_SNAPSHOT_TAKEN) return status;
    snapshot->stopped_at_ns = diag_monotonic_ns();
    snapshot->interrupt_latency_ns = snapshot->stopped_at_ns - begin;

    // The thread is in the kernel and its user stack no longer changes, but it may still be
    // leaving its CPU, which PTRACE_GETREGS waits for: copy the stack around the hint first.
    ssize_t copied = window != 0 ? read_memory(pid, window, stack, capacity) : -1;
    int64_t registers_start = diag_monotonic_ns();
    struct user_regs_struct regs;
    int64_t registers_end = registers_start;
    if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) != 0) {
        *error_code = errno;
        status = DIAG_SNAPSHOT_FAILED;
    } else {
        registers_end = diag_monotonic_ns();
        copy_registers(&regs, snapshot->registers);
        bool served = copied > 0 && regs.rsp >= window && regs.rsp <= stack_hint + DIAG_STACK_HINT_MARGIN
            && regs.rsp < window + (uint64_t)copied;
        if (!served) {
            window = regs.rsp;
            copied = read_memory(pid, window, stack, capacity);
        }
        snapshot->hint_served = served;
        snapshot->stack_address = window;
        snapshot->stack_size = copied > 0 ? (uint64_t)copied : 0;
    }
    int64_t copied_at = diag_monotonic_ns();
    resume_thread(tid, signal, interrupt_pending);
    int64_t resumed_at = diag_monotonic_ns();
    snapshot->registers_ns = registers_end - registers_start;
    snapshot->stack_copy_ns = (registers_start - snapshot->stopped_at_ns) + (copied_at - registers_end);
    snapshot->resume_ns = resumed_at - copied_at;
    snapshot->stop_duration_ns = resumed_at - snapshot->stopped_at_ns;
    return status;
}

int diag_release_unexpected_stop(pid_t tid) {
    int signal = 0;
    switch (wait_for_stop(tid, WNOHANG, &signal)) {
    case STOP_EXITED: return DIAG_SNAPSHOT_THREAD_GONE;
    case STOP_ERROR: return DIAG_SNAPSHOT_FAILED;  // nothing pending
    case STOP_JOB_CONTROL:
        ptrace(PTRACE_LISTEN, tid, NULL, NULL);
        return DIAG_SNAPSHOT_JOB_STOPPED;
    case STOP_SIGNAL:
        ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal);
        return DIAG_SNAPSHOT_TAKEN;
    case STOP_INTERRUPT:
        ptrace(PTRACE_CONT, tid, NULL, NULL);
        return DIAG_SNAPSHOT_TAKEN;
    }
    return DIAG_SNAPSHOT_FAILED;
}

int diag_detach_thread(pid_t tid) {
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0) {
        int code = errno;
        int status;
        waitpid(tid, &status, __WALL | WNOHANG);
        return code == ESRCH ? 0 : code;
    }
    int signal = 0;
    stop_kind kind = wait_for_stop(tid, 0, &signal);
    if (kind == STOP_EXITED) return 0;
    if (kind == STOP_ERROR) return errno;
    // Detaching clears diag's pending interrupt; a job-control stop stays in effect.
    int deliver = kind == STOP_SIGNAL ? signal : 0;
    if (ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)deliver) != 0) return errno == ESRCH ? 0 : errno;
    return 0;
}
