#ifndef DIAG_DEBUGINFO_CACHE_H
#define DIAG_DEBUGINFO_CACHE_H
// The find_debuginfo callback of core sessions: the standard search, then, for a debug file
// with compressed DWARF (Debian's /usr/lib/debug), an uncompressed copy kept in diag's cache
// directory, so that only the first session pays for decompressing it.
#include <elfutils/libdwfl.h>

int diag_find_debuginfo_cached(Dwfl_Module *module, void **userdata, const char *module_name,
                               Dwarf_Addr base, const char *file_name, const char *debuglink_file,
                               GElf_Word debuglink_crc, char **debuginfo_file_name);

#endif
