#ifndef DIAG_SNAPSHOT_UNWIND_H
#define DIAG_SNAPSHOT_UNWIND_H
// Unwinding a thread snapshot with libunwind after the thread runs again: accessors read
// registers from the snapshot and memory from its stack copy, and fall back to the live
// process (process_vm_readv, through a page cache for read-only mappings) for addresses
// outside it. Unwind tables come from libunwind-ptrace's ELF lookup; libunwind's own
// frame-pointer fallback covers code without CFI (JIT code).
#include <stdint.h>
#include <sys/types.h>
#include "diag_thread_snapshot.h"

/// Unwinding state for one process, reused across snapshots (it caches unwind rules and
/// read-only memory). Opaque to Swift. Not thread-safe.
typedef struct diag_snapshot_unwinder diag_snapshot_unwinder;

/// Creates an unwinder for process `pid`; NULL when libunwind cannot be set up.
diag_snapshot_unwinder *diag_snapshot_unwinder_create(pid_t pid);

/// Unwinds `snapshot` with its stack copy `stack`, storing up to `capacity` instruction
/// addresses, innermost first. Returns their number (at least 1 when the snapshot has an
/// instruction pointer), or a negative libunwind error code.
int diag_snapshot_unwind(diag_snapshot_unwinder *unwinder, const diag_thread_snapshot *snapshot,
                         const uint8_t *stack, uint64_t *ips, int capacity);

/// `diag_snapshot_unwind`, also storing each frame's rbp in `frame_pointers` (`capacity`
/// entries, parallel to `ips`), for naming V8's JavaScript frames.
int diag_snapshot_unwind_frames(diag_snapshot_unwinder *unwinder, const diag_thread_snapshot *snapshot,
                                const uint8_t *stack, uint64_t *ips, uint64_t *frame_pointers, int capacity);

/// Memory reads that missed the stack copy and went to the live process, since creation.
uint64_t diag_snapshot_unwinder_live_reads(const diag_snapshot_unwinder *unwinder);

/// Releases the unwinder.
void diag_snapshot_unwinder_destroy(diag_snapshot_unwinder *unwinder);

#endif
