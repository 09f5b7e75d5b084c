/* A CPU-bound benchmark target with a known stack depth: main calls level1 .. level8, which
 * call leaf, ten frames in all. It works for ARGV[1] seconds after printing `ready`, then
 * prints `ops N cpu_us C`: the work units it finished and the CPU time it used (user +
 * system, which includes the kernel's work for a profiler's interrupts), and exits. On a
 * shared machine, ops per CPU second is the throughput that other load does not move. */
#include "fixture.h"

#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

volatile uint64_t sink;

#define CHAIN(name, next) \
    __attribute__((noinline)) void name(void) { next(); sink++; }

__attribute__((noinline)) void leaf(void) {
    for (unsigned long i = 0; i < 20000; i++) sink += i ^ (sink >> 3);
}

CHAIN(level8, leaf)
CHAIN(level7, level8)
CHAIN(level6, level7)
CHAIN(level5, level6)
CHAIN(level4, level5)
CHAIN(level3, level4)
CHAIN(level2, level3)
CHAIN(level1, level2)

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 5;
    fixture_ready(NULL);
    double end = now_seconds() + seconds;
    unsigned long ops = 0;
    while (now_seconds() < end) {
        level1();
        ops++;
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    long cpu_us = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
    printf("ops %lu cpu_us %ld\n", ops, cpu_us);
    return 0;
}
