// The naive way to sample a native stack, kept as the benchmark reference: the thread stays
// stopped while libunwind-ptrace unwinds it through PTRACE_PEEKDATA-style accessors.
#include "diag_thread_snapshot.h"
#include "CUnwindShim.h"
#include "sampling_priority.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int diag_take_stopped_unwind(pid_t tid, uint64_t *ips, int capacity, int *count,
                             diag_thread_snapshot *snapshot, int *error_code) {
    memset(snapshot, 0, sizeof *snapshot);
    *count = 0;
    *error_code = 0;
    bool raised = diag_raise_priority();
    int64_t begin = diag_monotonic_ns();
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0) {
        *error_code = errno;
        diag_restore_priority(raised);
        return errno == ESRCH ? DIAG_SNAPSHOT_THREAD_GONE : DIAG_SNAPSHOT_FAILED;
    }
    int status = 0;
    while (waitpid(tid, &status, __WALL) < 0) {
        if (errno != EINTR) {
            diag_restore_priority(raised);
            return DIAG_SNAPSHOT_THREAD_GONE;
        }
    }
    if (!WIFSTOPPED(status)) {
        diag_restore_priority(raised);
        return DIAG_SNAPSHOT_THREAD_GONE;
    }
    snapshot->stopped_at_ns = diag_monotonic_ns();
    snapshot->interrupt_latency_ns = snapshot->stopped_at_ns - begin;
    diag_remote_unwinder *unwinder = diag_remote_unwinder_create(tid);
    if (unwinder != NULL) {
        int unwound = diag_remote_unwind(unwinder, ips, capacity);
        *count = unwound > 0 ? unwound : 0;
        diag_remote_unwinder_destroy(unwinder);
    }
    int signal = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
    ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal);
    snapshot->stop_duration_ns = diag_monotonic_ns() - snapshot->stopped_at_ns;
    diag_restore_priority(raised);
    return DIAG_SNAPSHOT_TAKEN;
}
