#ifndef DIAG_CSYSTEM_SHIM_H
#define DIAG_CSYSTEM_SHIM_H
// Small C helpers for system calls that Swift cannot use directly: ptrace is variadic,
// and a signal handler must be plain C to be async-signal-safe.
#include <sys/types.h>

/// Installs handlers for SIGINT and SIGTERM that record a stop request, and unblocks both
/// signals in the calling thread. Idempotent. The handlers do not set SA_RESTART, so a
/// blocking sleep returns early with EINTR.
void diag_install_stop_handlers(void);

/// Returns the signal number that requested a stop, or 0 when none has.
int diag_stop_signal(void);

/// Calls ptrace(2) with explicit arguments (the libc prototype is variadic). Sets errno.
long diag_ptrace(int request, pid_t tid, void *address, void *data);

/// Sets glibc's mmap threshold (mallopt M_MMAP_THRESHOLD, which <malloc.h> does not export to
/// Swift): allocations of `bytes` or more get their own mapping, and the threshold stops
/// adapting. Returns 1 on success.
int diag_set_mmap_threshold(int bytes);

/// Opens an unnamed file (O_TMPFILE, mode 0600) in `directory` for writing, to be linked into
/// place later; -1 with errno (EOPNOTSUPP, EISDIR...) where the file system cannot.
int diag_open_unnamed_file(const char *directory);

#endif
