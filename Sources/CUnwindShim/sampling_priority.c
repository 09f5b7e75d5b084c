// Real-time priority for diag while it samples. See diag_thread_snapshot.h.
#include "diag_thread_snapshot.h"

#include <sched.h>

static bool may_raise_priority = true;

bool diag_raise_priority(void) {
    if (!may_raise_priority) return false;
    struct sched_param parameters = {.sched_priority = 1};
    if (sched_setscheduler(0, SCHED_FIFO, &parameters) != 0) {
        may_raise_priority = false;
        return false;
    }
    return true;
}

void diag_restore_priority(bool raised) {
    if (!raised) return;
    struct sched_param parameters = {.sched_priority = 0};
    sched_setscheduler(0, SCHED_OTHER, &parameters);
}
