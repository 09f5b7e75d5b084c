// The naive way to sample a native stack, kept as the benchmark reference: the thread stays
// stopped while libunwind-ptrace unwinds it through its ptrace accessors (as py-spy's
// --native does: one address space with cached unwind rules, ptrace state per thread).
#include "diag_thread_snapshot.h"
#include <libunwind.h>
#include <libunwind-ptrace.h>
#include "frame_walk.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int diag_take_stopped_unwind(pid_t tid, uint64_t *ips, int capacity, int *count,
                             diag_thread_snapshot *snapshot, int *error_code) {
    memset(snapshot, 0, sizeof *snapshot);
    *count = 0;
    *error_code = 0;
    int64_t begin = diag_monotonic_ns();
    if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) != 0) {
        *error_code = errno;
        return errno == ESRCH ? DIAG_SNAPSHOT_THREAD_GONE : DIAG_SNAPSHOT_FAILED;
    }
    int status = 0;
    while (waitpid(tid, &status, __WALL) < 0) {
        if (errno != EINTR) {
                return DIAG_SNAPSHOT_THREAD_GONE;
        }
    }
    if (!WIFSTOPPED(status)) {
        return DIAG_SNAPSHOT_THREAD_GONE;
    }
    snapshot->stopped_at_ns = diag_monotonic_ns();
    snapshot->interrupt_latency_ns = snapshot->stopped_at_ns - begin;
    static unw_addr_space_t address_space = NULL;
    if (address_space == NULL) {
        address_space = unw_create_addr_space(&_UPT_accessors, 0);
        if (address_space != NULL) unw_set_caching_policy(address_space, UNW_CACHE_GLOBAL);
    }
    void *ptrace_state = address_space != NULL ? _UPT_create(tid) : NULL;
    unw_cursor_t cursor;
    if (ptrace_state != NULL && unw_init_remote(&cursor, address_space, ptrace_state) >= 0) {
        *count = diag_walk_frames(&cursor, ips, capacity);
    }
    if (ptrace_state != NULL) _UPT_destroy(ptrace_state);
    int signal = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
    ptrace(PTRACE_CONT, tid, NULL, (void *)(long)signal);
    snapshot->stop_duration_ns = diag_monotonic_ns() - snapshot->stopped_at_ns;
    return DIAG_SNAPSHOT_TAKEN;
}
