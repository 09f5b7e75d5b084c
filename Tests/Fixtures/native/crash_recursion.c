/* Recurses without end until the stack overflows: a SIGSEGV core at the stack guard. */
#include "fixture.h"

volatile unsigned long depth_reached;

__attribute__((noinline)) unsigned long recurse_forever(unsigned long depth) {
    volatile char frame_padding[256];
    frame_padding[depth % sizeof frame_padding] = (char)depth;
    depth_reached = depth;
    return recurse_forever(depth + 1) + frame_padding[0];
}

int main(void) {
    return (int)recurse_forever(0);
}
