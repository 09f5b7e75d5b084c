#ifndef DIAG_SAMPLING_PRIORITY_H
#define DIAG_SAMPLING_PRIORITY_H
// While a thread of the target is stopped, diag runs with real-time priority (when it may),
// so that a busy scheduler cannot leave the thread stopped while diag waits for a CPU.
#include <stdbool.h>

/// Switches the calling thread to SCHED_FIFO priority 1; false when not permitted (no
/// CAP_SYS_NICE), after which it stops asking.
bool diag_raise_priority(void);

/// Returns the calling thread to SCHED_OTHER when `raised`.
void diag_restore_priority(bool raised);

#endif
