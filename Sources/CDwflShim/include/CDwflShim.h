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

/// Demangles an Itanium C++ (and legacy Rust) symbol. Returns a malloc'ed string the
/// caller frees, or NULL when `mangled` is not a valid mangled name.
char *diag_demangle_itanium(const char *mangled);

#endif
