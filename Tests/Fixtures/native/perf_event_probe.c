/* Tells the tests whether this machine lets a process sample itself with a perf_event CPU
 * clock carrying user registers and stack (what diag's default sampler needs), independently
 * of diag: exits 0 when it can, else prints the errno and exits 1. Containers with a seccomp
 * filter against perf_event_open, or kernel.perf_event_paranoid without privileges, refuse. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    struct perf_event_attr attributes;
    memset(&attributes, 0, sizeof attributes);
    attributes.size = sizeof attributes;
    attributes.type = PERF_TYPE_SOFTWARE;
    attributes.config = PERF_COUNT_SW_CPU_CLOCK;
    attributes.sample_period = 1000000;
    attributes.sample_type = PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
    attributes.sample_regs_user = 0x1ff;
    attributes.sample_stack_user = 4096;
    attributes.exclude_hv = 1;
    int descriptor = (int)syscall(SYS_perf_event_open, &attributes, 0, -1, -1, 0);
    if (descriptor < 0) {
        printf("perf_event_open: %s\n", strerror(errno));
        return 1;
    }
    void *buffer = mmap(NULL, 9 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0);
    if (buffer == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
