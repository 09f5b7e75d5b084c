#ifndef DIAG_CINSPECTOR_SHIM_H
#define DIAG_CINSPECTOR_SHIM_H
// System calls the Node inspector client needs that Swift's Glibc module does not export.
#include <sys/types.h>

/// setns(fd, CLONE_NEWNET) for the calling thread. Returns 0 or -1 with errno set.
int diag_enter_network_namespace(int namespace_fd);

/// pidfd_open(2): a descriptor that names exactly this process, immune to pid reuse.
/// Returns the descriptor or -1 with errno set.
int diag_pidfd_open(pid_t pid);

/// pidfd_send_signal(2): signals the process a pidfd names. Returns 0 or -1 with errno set.
int diag_pidfd_send_signal(int pidfd, int signal_number);

#endif
