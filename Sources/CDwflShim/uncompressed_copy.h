#ifndef DIAG_UNCOMPRESSED_COPY_H
#define DIAG_UNCOMPRESSED_COPY_H
// Writes the uncompressed copy of a debug file that diag's debug-info cache keeps.
#include <gelf.h>
#include <stdbool.h>

/// Writes to `target`, an empty file, a copy of the 64-bit ELF file `source` (opened with
/// ELF_C_READ_MMAP) with its zlib-compressed sections stored decompressed, and the location
/// lists (.debug_loc, .debug_loclists: diag never reads them) left out as empty NOBITS
/// sections. Sections are inflated a cache-sized piece at a time. Returns false, leaving
/// `target` to be removed, when there is nothing to decompress, more than `largest` bytes
/// to decompress (a zip bomb), or anything this writer does not handle.
bool diag_write_uncompressed_copy(Elf *source, int target, unsigned long long largest);

#endif
