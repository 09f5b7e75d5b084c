// Waking the sampler when a seized thread stops on its own, so that a signal sent to the
// target is delivered within microseconds rather than at the next tick. See
// diag_thread_snapshot.h.
#define _GNU_SOURCE
#include "diag_thread_snapshot.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t tracee_event = 0;

static void note_tracee_event(int signal_number) {
    (void)signal_number;
    tracee_event = 1;
}

void diag_watch_tracee_events(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_tracee_event;
    sigemptyset(&action.sa_mask);
    sigaction(SIGCHLD, &action, NULL);
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &child, NULL);
}

int diag_sleep_until(int64_t deadline_ns) {
    sigset_t while_sleeping;
    pthread_sigmask(SIG_SETMASK, NULL, &while_sleeping);
    sigdelset(&while_sleeping, SIGCHLD);
    for (;;) {
        if (tracee_event) {
            tracee_event = 0;
            return 1;
        }
        int64_t left = deadline_ns - diag_monotonic_ns();
        if (left <= 0) return 0;
        struct timespec timeout = {.tv_sec = left / 1000000000, .tv_nsec = left % 1000000000};
        // SIGCHLD is unblocked only inside ppoll: one arriving before it is not lost.
        if (ppoll(NULL, 0, &timeout, &while_sleeping) < 0 && errno == EINTR) {
            if (tracee_event) continue;
            return -1;
        }
    }
}

void diag_wait_for_tracee_event(int64_t timeout_ns) {
    sigset_t while_waiting;
    pthread_sigmask(SIG_SETMASK, NULL, &while_waiting);
    sigdelset(&while_waiting, SIGCHLD);
    struct timespec timeout = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
    ppoll(NULL, 0, &timeout, &while_waiting);
}
