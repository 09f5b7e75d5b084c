/* Recurses without end until the stack overflows: a SIGSEGV core at the stack guard. With
 * the argument "thread" the recursion runs on a second thread, whose stack ends in a guard
 * page instead of the main stack's guard gap. */
#include "fixture.h"

#include <pthread.h>
#include <string.h>

volatile unsigned long depth_reached;

__attribute__((noinline)) unsigned long recurse_forever(unsigned long depth) {
    volatile char frame_padding[256];
    frame_padding[depth % sizeof frame_padding] = (char)depth;
    depth_reached = depth;
    return recurse_forever(depth + 1) + frame_padding[0];
}

static void *recursing_thread(void *argument) {
    (void)argument;
    recurse_forever(0);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "thread") == 0) {
        pthread_t thread;
        pthread_create(&thread, NULL, recursing_thread, NULL);
        pthread_join(thread, NULL);
        return 0;
    }
    return (int)recurse_forever(0);
}
