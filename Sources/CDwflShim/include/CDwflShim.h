#ifndef DIAG_CDWFL_SHIM_H
#define DIAG_CDWFL_SHIM_H
// Helpers around elfutils' libdwfl that need C: the callback tables must outlive the
// Dwfl session, and C++ demangling lives in the C++ runtime.
#include <elfutils/libdwfl.h>
#include <sys/types.h>

/// Starts a libdwfl session for live process `pid` and reports its modules from
/// /proc/PID/maps. Returns NULL on failure (see dwfl_errmsg(-1)).
Dwfl *diag_dwfl_begin_process(pid_t pid);

/// Starts a libdwfl session for an ELF core file already opened with libelf, reporting the
/// modules it names. `executable` may be NULL. Returns NULL on failure.
Dwfl *diag_dwfl_begin_core(Elf *core, const char *executable);

/// Receives one thread's stack from `diag_dwfl_core_stacks`: the program counters,
/// innermost first, for each whether it is exact (the innermost frame or a signal frame)
/// rather than a return address, and the frame's rbp (0 when libdwfl does not know it).
/// `error` is libdwfl's message when the unwind stopped on an error, or NULL. Return
/// non-zero to stop visiting threads.
typedef int (*diag_thread_stack_sink)(void *context, pid_t tid, const Dwarf_Addr *pcs,
                                      const unsigned char *exact, const Dwarf_Addr *frame_pointers,
                                      size_t count, const char *error);

/// Attaches the threads of `core` to a session made by `diag_dwfl_begin_core` and unwinds
/// every thread, at most `max_frames` frames each, calling `sink` once per thread in the
/// core's order. Returns the number of threads, or -1 when the core's threads cannot be
/// attached (see dwfl_errmsg(-1)).
int diag_dwfl_core_stacks(Dwfl *dwfl, Elf *core, size_t max_frames,
                          diag_thread_stack_sink sink, void *context);

/// Demangles an Itanium C++ (and legacy Rust) symbol. Returns a malloc'ed string the
/// caller frees, or NULL when `mangled` is not a valid mangled name.
char *diag_demangle_itanium(const char *mangled);

#endif
