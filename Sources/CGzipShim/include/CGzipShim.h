#ifndef DIAG_CGZIP_SHIM_H
#define DIAG_CGZIP_SHIM_H
// gzip compression with zlib (which diag links already, through libdw), for pprof files.
#include <stddef.h>

/// Compresses `length` bytes at `input` into a gzip member (RFC 1952) at `output`, which has
/// room for `capacity` bytes (diag_gzip_bound(length) is always enough). Returns the bytes
/// written, or 0 on failure.
size_t diag_gzip(const void *input, size_t length, void *output, size_t capacity);

/// An upper bound of the gzip size of `length` bytes.
size_t diag_gzip_bound(size_t length);

#endif
