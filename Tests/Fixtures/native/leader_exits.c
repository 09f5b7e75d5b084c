/* A process whose main thread leaves with pthread_exit after ARGV[2] seconds (default 0.5)
 * while thread "worker" keeps running, so that the thread-group leader then stays a zombie
 * for the rest of the process's life (the kernel reports its exit only once every other
 * thread is gone). The worker spins in worker_spin and ends the process after ARGV[1]
 * seconds (default 60). */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

volatile uint64_t sink;

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

__attribute__((noinline)) void worker_spin(double end) {
    while (now_seconds() < end) {
        for (int i = 0; i < 100000; i++) sink += (uint64_t)i ^ (sink >> 3);
    }
}

static void *worker(void *argument) {
    worker_spin(now_seconds() + *(double *)argument);
    exit(0);
}

int main(int argc, char **argv) {
    static double seconds;
    seconds = argc > 1 ? atof(argv[1]) : 60;
    pthread_t thread;
    pthread_create(&thread, NULL, worker, &seconds);
    pthread_setname_np(thread, "worker");
    fixture_ready(NULL);
    usleep((useconds_t)((argc > 2 ? atof(argv[2]) : 0.5) * 1e6));
    pthread_exit(NULL);
}
