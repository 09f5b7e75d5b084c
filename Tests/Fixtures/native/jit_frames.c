/* JIT-like code for the unwinder and the perf map: a thread calls machine code written at
 * run time into an anonymous executable mapping, which has a frame pointer but no unwind
 * information, and that code calls back into the C function jit_callee, which spins. The
 * code's name is published in /tmp/perf-PID.map as a JIT compiler would. */
#define _GNU_SOURCE
#include "fixture.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

volatile uint64_t jit_sink;

__attribute__((noinline)) void jit_callee(void) {
    for (;;) jit_sink++;
}

/* push rbp; mov rbp, rsp; call [rip+6]; pop rbp; ret; (pad); .quad jit_callee */
static const uint8_t trampoline[16] = {
    0x55, 0x48, 0x89, 0xe5, 0xff, 0x15, 0x06, 0x00, 0x00, 0x00, 0x5d, 0xc3, 0x90, 0x90, 0x90, 0x90,
};

__attribute__((noinline)) void run_jit(void (*code)(void)) {
    code();
    jit_sink++;
}

static void *jit_thread(void *code) {
    run_jit((void (*)(void))code);
    return NULL;
}

int main(void) {
    uint8_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) return 1;
    memcpy(code, trampoline, sizeof trampoline);
    void (*callee)(void) = jit_callee;
    memcpy(code + sizeof trampoline, &callee, sizeof callee);
    if (mprotect(code, 4096, PROT_READ | PROT_EXEC) != 0) return 1;

    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    FILE *map = fopen(path, "w");
    if (map == NULL) return 1;
    fprintf(map, "%lx %zx jit_trampoline\n", (unsigned long)(uintptr_t)code, sizeof trampoline);
    fclose(map);

    pthread_t thread;
    pthread_create(&thread, NULL, jit_thread, code);
    pthread_setname_np(thread, "jit");
    fixture_ready(NULL);
    for (;;) pause();
}
