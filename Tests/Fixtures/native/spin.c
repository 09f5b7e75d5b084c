/* A busy native process: the main thread burns CPU in a known function and a second
 * thread sleeps in a known function. Used by the foundation tests (ps, doctor). */
#include "fixture.h"

#include <pthread.h>
#include <time.h>

volatile unsigned long sink;

__attribute__((noinline)) static void burn_cpu(void) {
    for (unsigned long i = 0; i < 100000000UL; i++) sink += i * i;
}

__attribute__((noinline)) static void *sleepy_thread(void *argument) {
    (void)argument;
    for (;;) sleep(1);
    return NULL;
}

int main(void) {
    pthread_t thread;
    pthread_create(&thread, NULL, sleepy_thread, NULL);
    fixture_ready(NULL);
    for (;;) burn_cpu();
}
