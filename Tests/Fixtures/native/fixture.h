/* Shared by the C fixtures: a lifetime limit, so that no fixture outlives a crashed test
 * run, and the ready line the test harness waits for. */
#ifndef DIAG_FIXTURE_H
#define DIAG_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void fixture_limit_lifetime(void) {
    const char *limit = getenv("FIXTURE_LIFETIME");
    alarm(limit != NULL ? (unsigned)atoi(limit) : 300);
}

/* Prints the line the harness waits for, with any details after it. */
static inline void fixture_ready(const char *details) {
    printf("ready %s\n", details != NULL ? details : "");
    fflush(stdout);
}

#endif
