/* Two busy threads with a known split of CPU time, for the native sampler tests:
 *   thread "split-ab": hot_a runs 7 rounds of the same loop for every 3 rounds in hot_b (70% / 30%)
 *   thread "solo-c":   hot_c only, whose loop body is the always-inlined mix_step
 *   the main thread sleeps (idle), and exits after ARGV[1] seconds when given.
 * hot_a and hot_b expand the same loop (a macro), each writing its own cache line, so a
 * round costs the same in both and the split holds however busy the machine is. (Timing
 * the split with a clock does not: a thread CPU-time clock is a system call, where a busy
 * scheduler tends to preempt the thread, and a wall clock gives preempted time away.) */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define ROUND 100000UL

/* Each on its own cache line, so that the threads do not slow each other down. */
volatile uint64_t sink_a __attribute__((aligned(64)));
volatile uint64_t sink_b __attribute__((aligned(64)));
volatile uint64_t sink_c __attribute__((aligned(64)));

#define WORK_LOOP(sink, rounds) \
    for (unsigned long i = 0; i < (rounds) * ROUND; i++) sink += i * 2654435761UL ^ (sink >> 3)

__attribute__((noinline)) void hot_a(unsigned long rounds) {
    WORK_LOOP(sink_a, rounds); /* HOT_A_LINE */
}

__attribute__((noinline)) void hot_b(unsigned long rounds) {
    WORK_LOOP(sink_b, rounds); /* HOT_B_LINE */
}

static inline __attribute__((always_inline)) void mix_step(unsigned long i) {
    sink_c += i * 3266489917UL ^ (sink_c >> 7); /* MIX_STEP_LINE */
}

__attribute__((noinline)) void hot_c(unsigned long iterations) {
    for (unsigned long i = 0; i < iterations; i++) mix_step(i);
}

static void *split_ab(void *argument) {
    (void)argument;
    for (;;) {
        hot_a(7);
        hot_b(3);
    }
    return NULL;
}

static void *solo_c(void *argument) {
    (void)argument;
    for (;;) hot_c(1000000);
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
    pthread_setname_np(first, "split-ab");
    pthread_setname_np(second, "solo-c");
    fixture_ready(NULL);
    idle_main(argc > 1 ? atof(argv[1]) : 0);
    return 0;
}
