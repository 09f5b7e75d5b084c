/* Dereferences NULL in a known function on a worker thread while three other threads wait:
 * a SIGSEGV core with fault address 0x0 and four threads. The faulting line carries the
 * marker CRASH-LINE, which the tests look up to know the expected line number. */
#include "fixture.h"

#include <pthread.h>

struct record {
    int count;
    int flags;
};

struct record *volatile current_record = NULL;
static pthread_barrier_t all_started;

__attribute__((noinline)) void store_record_count(struct record *record, int count) {
    record->count = count; /* CRASH-LINE */
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void *waiting_worker(void *argument) {
    (void)argument;
    pthread_barrier_wait(&all_started);
    for (;;) pause();
    return NULL;
}

__attribute__((noinline)) static void *crashing_worker(void *argument) {
    (void)argument;
    pthread_barrier_wait(&all_started);
    usleep(100000);
    store_record_count(current_record, 42);
    return NULL;
}

int main(void) {
    pthread_t threads[3];
    pthread_barrier_init(&all_started, NULL, 4);
    pthread_create(&threads[0], NULL, waiting_worker, NULL);
    pthread_create(&threads[1], NULL, waiting_worker, NULL);
    pthread_create(&threads[2], NULL, crashing_worker, NULL);
    pthread_barrier_wait(&all_started);
    pthread_join(threads[2], NULL);
    return 0;
}
