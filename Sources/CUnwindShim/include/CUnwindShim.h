#ifndef DIAG_CUNWIND_SHIM_H
#define DIAG_CUNWIND_SHIM_H
// Functions around the parts of libunwind's API that are macros (unw_getcontext,
// unw_init_local, unw_init_remote, unw_step, ...), which Swift cannot call directly.
#include <stdint.h>
#include <sys/types.h>

#include "diag_thread_snapshot.h"
#include "diag_snapshot_unwind.h"

/// Unwinds the calling thread and stores up to `capacity` instruction pointers, innermost
/// first. Returns the number stored, or a negative libunwind error code.
int diag_unwind_local(uint64_t *ips, int capacity);

/// An address space and per-thread state for unwinding a ptrace-stopped thread with
/// libunwind-ptrace's accessors. Opaque to Swift.
typedef struct diag_remote_unwinder diag_remote_unwinder;

/// Creates an unwinder for thread `tid`, which must be ptrace-stopped by the caller.
/// Returns NULL when libunwind cannot be set up.
diag_remote_unwinder *diag_remote_unwinder_create(pid_t tid);

/// Unwinds the stopped thread from its current registers, storing up to `capacity`
/// instruction pointers, innermost first. Returns the count, or a negative error code.
int diag_remote_unwind(diag_remote_unwinder *unwinder, uint64_t *ips, int capacity);

/// Releases everything `diag_remote_unwinder_create` allocated.
void diag_remote_unwinder_destroy(diag_remote_unwinder *unwinder);

#endif
