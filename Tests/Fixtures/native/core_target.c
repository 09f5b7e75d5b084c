/* A live process for diag gcore and for signal-sent cores: the main thread and two workers
 * wait in known functions, forever, after printing the ready line. An optional argument
 * fills that many MiB of heap with non-zero bytes (a core that takes a while to write). */
#include "fixture.h"

#include <pthread.h>
#include <string.h>

static pthread_barrier_t all_started;
char heap_marker_text[] = "diag-gcore-marker-5f3a";
char *volatile ballast;

__attribute__((noinline)) void worker_waits_for_work(void) {
    for (;;) pause();
}

__attribute__((noinline)) static void *worker_thread(void *argument) {
    (void)argument;
    pthread_barrier_wait(&all_started);
    worker_waits_for_work();
    return NULL;
}

__attribute__((noinline)) void main_waits_for_signal(void) {
    for (;;) pause();
}

int main(int argc, char **argv) {
    char *copy = strdup(heap_marker_text);
    if (argc > 1) {
        size_t size = (size_t)atoi(argv[1]) << 20;
        ballast = malloc(size);
        if (ballast != NULL) memset(ballast, 0x5a, size);
    }
    pthread_t threads[2];
    pthread_barrier_init(&all_started, NULL, 3);
    pthread_create(&threads[0], NULL, worker_thread, NULL);
    pthread_create(&threads[1], NULL, worker_thread, NULL);
    pthread_barrier_wait(&all_started);
    fixture_ready(copy);
    main_waits_for_signal();
    return 0;
}
