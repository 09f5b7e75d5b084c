#include "CUnwindShim.h"
#include "frame_walk.h"

#include <libunwind.h>

int diag_unwind_local(uint64_t *ips, int capacity) {
    unw_context_t context;
    unw_cursor_t cursor;
    if (unw_getcontext(&context) != 0) return -UNW_EUNSPEC;
    int status = unw_init_local(&cursor, &context);
    if (status < 0) return status;
    return diag_walk_frames(&cursor, ips, capacity);
}
