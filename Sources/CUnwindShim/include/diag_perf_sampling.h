#ifndef DIAG_PERF_SAMPLING_H
#define DIAG_PERF_SAMPLING_H
// Sampling one thread with a perf_event instead of ptrace: the kernel's CPU-clock timer
// interrupts the thread while it runs, copies its user registers and the top of its user
// stack into a ring buffer shared with diag, and the thread goes on without ever being
// stopped or switched out (how `perf record --call-graph dwarf` samples). diag reads the
// records afterwards and unwinds each copy like a ptrace snapshot (diag_snapshot_unwind.h).
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "diag_thread_snapshot.h"

/// One thread's sampling event and its ring buffer. Opaque to Swift. Not thread-safe.
typedef struct diag_perf_stream diag_perf_stream;

/// The largest user-stack copy a sample record can hold: records are at most 64 KiB
/// including their header and registers.
#define DIAG_PERF_MAX_STACK_BYTES 65000u

/// Opens a sampling event on thread `tid`: one sample per `period_ns` nanoseconds of the
/// thread's time on a CPU, each with `stack_bytes` (a multiple of 8, at most
/// DIAG_PERF_MAX_STACK_BYTES) of user stack, into a ring buffer of `buffer_pages` pages (a
/// power of two). Samples are timed on CLOCK_MONOTONIC. Returns NULL with `error_code` set to
/// errno when the kernel refuses (perf_event_paranoid, seccomp, locked-memory limits, or the
/// thread is gone: ESRCH).
diag_perf_stream *diag_perf_stream_open(pid_t tid, uint64_t period_ns, uint32_t stack_bytes, uint32_t buffer_pages,
                                        int *error_code);

/// What `diag_perf_stream_next` found.
typedef enum diag_perf_record_kind {
    /// The ring buffer is empty.
    DIAG_PERF_EMPTY = 0,
    /// A sample: the snapshot and the stack buffer hold it.
    DIAG_PERF_SAMPLE = 1,
    /// The kernel dropped samples because the buffer was full; `lost` says how many.
    DIAG_PERF_LOST = 2,
    /// A sample without user registers (taken while the thread had none); nothing to unwind.
    DIAG_PERF_NO_USER_STATE = 3,
} diag_perf_record_kind;

/// Takes the next record out of the ring buffer. For a sample, `snapshot` receives the
/// registers (libunwind numbering), the stack pointer as `stack_address`, the bytes copied as
/// `stack_size` and the sample time as `stopped_at_ns` (its durations stay 0: the thread was
/// never stopped), and `stack` (`capacity` bytes) the copied stack.
diag_perf_record_kind diag_perf_stream_next(diag_perf_stream *stream, diag_thread_snapshot *snapshot, uint8_t *stack,
                                            size_t capacity, uint64_t *lost);

/// Closes the event and unmaps its buffer. Records not yet read are dropped.
void diag_perf_stream_close(diag_perf_stream *stream);

#endif
