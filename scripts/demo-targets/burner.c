/* Demo target: a native service that burns CPU in known functions.
 * Main thread: about 70% in compute_checksums, 30% in parse_records.
 * Worker thread "compressor": compress_blocks.
 * Prints "ready" once running; exits by itself after DEMO_LIFETIME seconds (default 600). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile uint64_t sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

__attribute__((noinline)) static void compute_checksums(double seconds) {
    double end = now() + seconds;
    uint64_t hash = 1469598103934665603ULL;
    while (now() < end) {
        for (int i = 0; i < 10000; i++) hash = (hash ^ (uint64_t)i) * 1099511628211ULL;
    }
    sink += hash;
}

__attribute__((noinline)) static void parse_records(double seconds) {
    double end = now() + seconds;
    uint64_t fields = 0;
    while (now() < end) {
        for (int i = 0; i < 10000; i++) fields += (uint64_t)(i % 7 == 0) + (uint64_t)(i % 13 == 0);
    }
    sink += fields;
}

__attribute__((noinline)) static void compress_blocks(void) {
    uint64_t state = 88172645463325252ULL;
    for (int i = 0; i < 100000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
    }
    sink += state;
}

static void *compressor(void *argument) {
    (void)argument;
    for (;;) compress_blocks();
    return NULL;
}

int main(void) {
    const char *lifetime = getenv("DEMO_LIFETIME");
    alarm(lifetime ? (unsigned)atoi(lifetime) : 600);
    pthread_t thread;
    pthread_create(&thread, NULL, compressor, NULL);
    pthread_setname_np(thread, "compressor");
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        compute_checksums(0.007);
        parse_records(0.003);
    }
}
