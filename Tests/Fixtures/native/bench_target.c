/* A CPU-bound benchmark target with a known stack depth: main calls level1 .. level8, which
 * call leaf, ten frames in all. After printing `ready` it works for ARGV[2] seconds of
 * warm-up (default 0: time for a profiler to attach and start), then for ARGV[1] measured
 * seconds, and prints `ops N cpu_us C wall_us W switches S`: the work units finished in the
 * measured window, the CPU time used in it (user + system, which includes the kernel's work
 * for a profiler's interrupts), its wall time and its context switches (voluntary and not,
 * from getrusage: counted without attaching an observer such as perf stat, which would make
 * each switch dearer); then it exits. On a shared machine, ops per
 * CPU second is the throughput that other load moves least. With ARGV[3] = N it also prints
 * `slot START_NS END_NS OPS CPU_US` for every N ms of the measured window (CLOCK_MONOTONIC),
 * so that a benchmark can compare the moments a profiler was attached with those it was not. */
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

static long cpu_microseconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static long context_switches(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_nvcsw + usage.ru_nivcsw;
}

/* Works until `end` (a now_seconds() value); returns the work units done. With `slot` > 0,
 * prints a `slot` line every `slot` seconds. */
static unsigned long work_until(double end, double slot) {
    unsigned long ops = 0, slot_ops = 0;
    double slot_start = now_seconds(), now = slot_start;
    long slot_cpu = slot > 0 ? cpu_microseconds() : 0;
    while (now < end) {
        level1();
        ops++;
        slot_ops++;
        now = now_seconds();
        if (slot > 0 && now - slot_start >= slot) {
            long cpu = cpu_microseconds();
            printf("slot %.0f %.0f %lu %ld\n", slot_start * 1e9, now * 1e9, slot_ops, cpu - slot_cpu);
            fflush(stdout);
            slot_start = now;
            slot_cpu = cpu;
            slot_ops = 0;
        }
    }
    return ops;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 5;
    double warm_up = argc > 2 ? atof(argv[2]) : 0;
    double slot = argc > 3 ? atof(argv[3]) / 1000 : 0;
    fixture_ready(NULL);
    work_until(now_seconds() + warm_up, 0);
    double start = now_seconds();
    long cpu_start = cpu_microseconds();
    long switches_start = context_switches();
    unsigned long ops = work_until(start + seconds, slot);
    long cpu_us = cpu_microseconds() - cpu_start;
    long wall_us = (long)((now_seconds() - start) * 1e6);
    long switches = context_switches() - switches_start;
    printf("ops %lu cpu_us %ld wall_us %ld switches %ld\n", ops, cpu_us, wall_us, switches);
    return 0;
}
