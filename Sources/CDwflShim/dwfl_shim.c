#include "CDwflShim.h"

#include <stdlib.h>

extern char *__cxa_demangle(const char *mangled, char *buffer, size_t *length, int *status);

static char *debuginfo_path = NULL;

static const Dwfl_Callbacks process_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

static const Dwfl_Callbacks core_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

Dwfl *diag_dwfl_begin_process(pid_t pid) {
    Dwfl *dwfl = dwfl_begin(&process_callbacks);
    if (dwfl == NULL) return NULL;
    if (dwfl_linux_proc_report(dwfl, pid) != 0 || dwfl_report_end(dwfl, NULL, NULL) != 0) {
        dwfl_end(dwfl);
        return NULL;
    }
    return dwfl;
}

Dwfl *diag_dwfl_begin_core(Elf *core, const char *executable) {
    Dwfl *dwfl = dwfl_begin(&core_callbacks);
    if (dwfl == NULL) return NULL;
    if (dwfl_core_file_report(dwfl, core, executable) < 0 || dwfl_report_end(dwfl, NULL, NULL) != 0) {
        dwfl_end(dwfl);
        return NULL;
    }
    return dwfl;
}

char *diag_demangle_itanium(const char *mangled) {
    int status = 0;
    char *result = __cxa_demangle(mangled, NULL, NULL, &status);
    if (status != 0) {
        free(result);
        return NULL;
    }
    return result;
}
