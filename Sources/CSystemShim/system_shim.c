#define _GNU_SOURCE
#include "CSystemShim.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <malloc.h>
#include <sys/ptrace.h>
#include <fcntl.h>

static volatile sig_atomic_t stop_signal = 0;

static void record_stop(int signal_number) {
    stop_signal = signal_number;
}

void diag_install_stop_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    // A parent may have started diag with these signals blocked (Foundation's Process does).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);
}

int diag_stop_signal(void) {
    return stop_signal;
}

long diag_ptrace(int request, pid_t tid, void *address, void *data) {
    return ptrace((enum __ptrace_request)request, tid, address, data);
}

int diag_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

int diag_open_unnamed_file(const char *directory) {
    return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
}
