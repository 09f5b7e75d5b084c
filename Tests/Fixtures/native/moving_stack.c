/* A thread whose stack pointer jumps by more than 12 KiB back and forth, for the native
 * sampler's stack copy (which it takes around a thread's previous stack pointer, and must
 * take again when the pointer moved): thread "mover" alternates between shallow_leaf, called
 * straight from its thread function, and deep_leaf, called through deep_1 .. deep_3, each of
 * which keeps 4 KiB of locals. Both leaves run the same loop. Exits after ARGV[1] seconds
 * when given. */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>

#define PHASE 200000UL

volatile uint64_t sink;

#define LEAF(name) \
    __attribute__((noinline)) void name(void) { \
        for (unsigned long i = 0; i < PHASE; i++) sink += i ^ (sink >> 3); \
    }

LEAF(shallow_leaf)
LEAF(deep_leaf)

/* 4 KiB of locals the compiler must keep on the stack around the call. */
#define DEEP(name, next) \
    __attribute__((noinline)) void name(void) { \
        volatile char pad[4096]; \
        pad[0] = (char)sink; \
        next(); \
        sink += pad[0]; \
    }

DEEP(deep_3, deep_leaf)
DEEP(deep_2, deep_3)
DEEP(deep_1, deep_2)

static void *mover(void *argument) {
    (void)argument;
    for (;;) {
        shallow_leaf();
        deep_1();
    }
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t thread;
    pthread_create(&thread, NULL, mover, NULL);
    pthread_setname_np(thread, "mover");
    fixture_ready(NULL);
    if (argc > 1) {
        usleep((useconds_t)(atof(argv[1]) * 1e6));
        return 0;
    }
    for (;;) pause();
}
