#define _GNU_SOURCE
#include "CInspectorShim.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int diag_enter_network_namespace(int namespace_fd) {
    return setns(namespace_fd, CLONE_NEWNET);
}

int diag_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int diag_pidfd_send_signal(int pidfd, int signal_number) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal_number, NULL, 0);
}
