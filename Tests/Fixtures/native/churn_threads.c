/* Threads that come and go during a capture, and signals arriving meanwhile: a busy thread
 * spins for good; the main thread starts a short-lived spinning thread every 20 ms and waits
 * for it to end; every SIGUSR1 the process receives is counted, and the count is written to
 * the file ARGV[1] every round. */
#define _GNU_SOURCE
#include "fixture.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t signals_seen;
volatile uint64_t churn_sink;

static void count_signal(int signal_number) {
    (void)signal_number;
    signals_seen++;
}

__attribute__((noinline)) void spin_for(double seconds) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        for (int i = 0; i < 10000; i++) churn_sink += (uint64_t)i;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
}

static void *busy(void *argument) {
    (void)argument;
    for (;;) spin_for(1);
    return NULL;
}

static void *short_lived(void *argument) {
    (void)argument;
    spin_for(0.01);
    return NULL;
}

int main(int argc, char **argv) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = count_signal;
    sigaction(SIGUSR1, &action, NULL);
    /* The test runner may have started us with signals blocked (posix_spawn keeps the mask). */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    int report = argc > 1 ? open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
    pthread_t worker;
    pthread_create(&worker, NULL, busy, NULL);
    pthread_setname_np(worker, "busy");
    fixture_ready(NULL);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    for (;;) {
        pthread_t child;
        pthread_create(&child, NULL, short_lived, NULL);
        pthread_join(child, NULL);
        nanosleep(&pause, NULL);
        if (report >= 0) {
            char line[32];
            int length = snprintf(line, sizeof line, "%d\n", (int)signals_seen);
            (void)pwrite(report, line, (size_t)length, 0);
        }
    }
}
