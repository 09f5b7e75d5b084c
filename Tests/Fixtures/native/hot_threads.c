/* Two busy threads with a known split of CPU time, for the native sampler tests:
 *   thread "split-ab": hot_a does 7 units of work for every 3 units in hot_b (70% / 30%)
 *   thread "solo-c":   hot_c only, whose loop body is the always-inlined mix_step
 *   the main thread sleeps (idle), and exits after ARGV[1] seconds when given. */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define UNITS 200000UL

volatile uint64_t sink_a, sink_b, sink_c;

__attribute__((noinline)) void hot_a(unsigned long units) {
    for (unsigned long i = 0; i < units * UNITS; i++) {
        sink_a += i * 2654435761UL ^ (sink_a >> 3); /* HOT_A_LINE */
    }
}

__attribute__((noinline)) void hot_b(unsigned long units) {
    for (unsigned long i = 0; i < units * UNITS; i++) {
        sink_b += i * 2246822519UL ^ (sink_b >> 5); /* HOT_B_LINE */
    }
}

static inline __attribute__((always_inline)) void mix_step(unsigned long i) {
    sink_c += i * 3266489917UL ^ (sink_c >> 7); /* MIX_STEP_LINE */
}

__attribute__((noinline)) void hot_c(unsigned long units) {
    for (unsigned long i = 0; i < units * UNITS; i++) mix_step(i);
}

static void *split_ab(void *argument) {
    (void)argument;
    pthread_setname_np(pthread_self(), "split-ab");
    for (;;) {
        hot_a(7);
        hot_b(3);
    }
    return NULL;
}

static void *solo_c(void *argument) {
    (void)argument;
    pthread_setname_np(pthread_self(), "solo-c");
    for (;;) hot_c(10);
    return NULL;
}

__attribute__((noinline)) void idle_main(double seconds) {
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    long rounds = seconds > 0 ? (long)(seconds * 100) : -1;
    while (rounds != 0) {
        nanosleep(&pause, NULL);
        if (rounds > 0) rounds--;
    }
}

int main(int argc, char **argv) {
    pthread_t first, second;
    pthread_create(&first, NULL, split_ab, NULL);
    pthread_create(&second, NULL, solo_c, NULL);
    fixture_ready(NULL);
    idle_main(argc > 1 ? atof(argv[1]) : 0);
    return 0;
}
