/* Threads whose top frames stay the same from one moment to the next, for comparing
 * `diag stack` with `eu-stack -p`: one spins in a leaf function, one blocks reading a pipe
 * nobody writes to, one waits on a condition variable, and the main thread pauses. */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>

volatile uint64_t spin_counter;

__attribute__((noinline)) void spin_leaf(void) {
    for (;;) spin_counter++;
}

static void *spinner(void *argument) {
    (void)argument;
    spin_leaf();
    return NULL;
}

static int quiet_pipe[2];

__attribute__((noinline)) void block_in_read(void) {
    char byte;
    for (;;) (void)read(quiet_pipe[0], &byte, 1);
}

static void *reader(void *argument) {
    (void)argument;
    block_in_read();
    return NULL;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *waiter(void *argument) {
    (void)argument;
    pthread_mutex_lock(&lock);
    for (;;) pthread_cond_wait(&never, &lock);
    return NULL;
}

int main(void) {
    if (pipe(quiet_pipe) != 0) return 1;
    pthread_t threads[3];
    pthread_create(&threads[0], NULL, spinner, NULL);
    pthread_create(&threads[1], NULL, reader, NULL);
    pthread_create(&threads[2], NULL, waiter, NULL);
    pthread_setname_np(threads[0], "spinner");
    pthread_setname_np(threads[1], "reader");
    pthread_setname_np(threads[2], "waiter");
    fixture_ready(NULL);
    for (;;) pause();
}
