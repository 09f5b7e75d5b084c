#ifndef DIAG_CUNWIND_SHIM_H
#define DIAG_CUNWIND_SHIM_H
// Functions around the parts of libunwind's API that are macros (unw_getcontext,
// unw_init_local, unw_init_remote, unw_step, ...), which Swift cannot call directly.
#include <stdint.h>
#include <sys/types.h>

#include "diag_thread_snapshot.h"
#include "diag_snapshot_unwind.h"
#include "diag_perf_sampling.h"

/// Unwinds the calling thread and stores up to `capacity` instruction pointers, innermost
/// first. Returns the number stored, or a negative libunwind error code.
int diag_unwind_local(uint64_t *ips, int capacity);

#endif
