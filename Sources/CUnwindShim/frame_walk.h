#ifndef DIAG_FRAME_WALK_H
#define DIAG_FRAME_WALK_H
// The frame loop every unwinder in this target shares.
#include <libunwind.h>
#include <stdint.h>

/// Steps `cursor` outward, storing up to `capacity` instruction pointers, innermost first,
/// and, when `frame_pointers` is not NULL, each frame's rbp beside them (V8 keeps its frames
/// on the rbp chain, so a JavaScript frame's rbp locates its function slot). Stops at a zero
/// return address, at the end of the unwind data, or when the stack pointer does not move up
/// (a loop in broken unwind data). Returns the number stored.
static inline int diag_walk_frames_recording(unw_cursor_t *cursor, uint64_t *ips, uint64_t *frame_pointers,
                                             int capacity) {
    int count = 0;
    unw_word_t previous_sp = 0;
    do {
        unw_word_t ip = 0, sp = 0, fp = 0;
        if (unw_get_reg(cursor, UNW_REG_IP, &ip) < 0 || ip == 0) break;
        unw_get_reg(cursor, UNW_REG_SP, &sp);
        if (count > 0 && sp <= previous_sp && sp != 0) break;
        previous_sp = sp;
        if (frame_pointers != NULL) {
            if (unw_get_reg(cursor, UNW_X86_64_RBP, &fp) < 0) fp = 0;
            frame_pointers[count] = (uint64_t)fp;
        }
        ips[count++] = (uint64_t)ip;
    } while (count < capacity && unw_step(cursor) > 0);
    return count;
}

/// `diag_walk_frames_recording` without frame pointers.
static inline int diag_walk_frames(unw_cursor_t *cursor, uint64_t *ips, int capacity) {
    return diag_walk_frames_recording(cursor, ips, NULL, capacity);
}

#endif
