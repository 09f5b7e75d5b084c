#include "CUnwindShim.h"

#include <libunwind.h>
#include <libunwind-ptrace.h>
#include <stdlib.h>

int diag_unwind_local(uint64_t *ips, int capacity) {
    unw_context_t context;
    unw_cursor_t cursor;
    if (unw_getcontext(&context) != 0) return -UNW_EUNSPEC;
    int status = unw_init_local(&cursor, &context);
    if (status < 0) return status;
    int count = 0;
    do {
        unw_word_t ip = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) < 0 || ip == 0) break;
        ips[count++] = (uint64_t)ip;
    } while (count < capacity && unw_step(&cursor) > 0);
    return count;
}

struct diag_remote_unwinder {
    unw_addr_space_t address_space;
    void *ptrace_state;
};

diag_remote_unwinder *diag_remote_unwinder_create(pid_t tid) {
    diag_remote_unwinder *unwinder = calloc(1, sizeof *unwinder);
    if (unwinder == NULL) return NULL;
    unwinder->address_space = unw_create_addr_space(&_UPT_accessors, 0);
    unwinder->ptrace_state = _UPT_create(tid);
    if (unwinder->address_space == NULL || unwinder->ptrace_state == NULL) {
        diag_remote_unwinder_destroy(unwinder);
        return NULL;
    }
    return unwinder;
}

int diag_remote_unwind(diag_remote_unwinder *unwinder, uint64_t *ips, int capacity) {
    unw_cursor_t cursor;
    int status = unw_init_remote(&cursor, unwinder->address_space, unwinder->ptrace_state);
    if (status < 0) return status;
    int count = 0;
    do {
        unw_word_t ip = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) < 0 || ip == 0) break;
        ips[count++] = (uint64_t)ip;
    } while (count < capacity && unw_step(&cursor) > 0);
    return count;
}

void diag_remote_unwinder_destroy(diag_remote_unwinder *unwinder) {
    if (unwinder == NULL) return;
    if (unwinder->ptrace_state != NULL) _UPT_destroy(unwinder->ptrace_state);
    if (unwinder->address_space != NULL) unw_destroy_addr_space(unwinder->address_space);
    free(unwinder);
}
