#include "CGzipShim.h"
#include <zlib.h>

// windowBits 15 + 16 asks deflate for a gzip header and trailer instead of zlib's.
enum { gzip_window_bits = 15 + 16, memory_level = 8 };

size_t diag_gzip_bound(size_t length) {
    // deflateBound's zlib bound plus the larger gzip header and trailer (18 bytes, not 6).
    return length + length / 1000 + 64;
}

size_t diag_gzip(const void *input, size_t length, void *output, size_t capacity) {
    z_stream stream = {0};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip_window_bits, memory_level,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return 0;
    }
    stream.next_in = (Bytef *)input;
    stream.next_out = (Bytef *)output;
    size_t written = 0;
    int status = Z_OK;
    // avail_in/avail_out are 32-bit: feed and drain in chunks so inputs above 4 GiB work too.
    while (status == Z_OK) {
        size_t consumed = (size_t)(stream.next_in - (Bytef *)input);
        size_t in_chunk = length - consumed > 0x40000000u ? 0x40000000u : length - consumed;
        size_t out_chunk = capacity - written > 0x40000000u ? 0x40000000u : capacity - written;
        if (out_chunk == 0) break;
        stream.avail_in = (uInt)in_chunk;
        stream.avail_out = (uInt)out_chunk;
        status = deflate(&stream, consumed + in_chunk == length ? Z_FINISH : Z_NO_FLUSH);
        written = (size_t)(stream.next_out - (Bytef *)output);
    }
    deflateEnd(&stream);
    return status == Z_STREAM_END ? written : 0;
}
