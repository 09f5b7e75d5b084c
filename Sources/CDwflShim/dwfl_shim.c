#include "CDwflShim.h"
#include "debuginfo_cache.h"

#include <stdbool.h>
#include <stdlib.h>

extern char *__cxa_demangle(const char *mangled, char *buffer, size_t *length, int *status);

static char *debuginfo_path = NULL;

static const Dwfl_Callbacks process_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

static const Dwfl_Callbacks core_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = diag_find_debuginfo_cached,
    .debuginfo_path = &debuginfo_path,
};

Dwfl *diag_dwfl_begin_process(pid_t pid) {
    Dwfl *dwfl = dwfl_begin(&process_callbacks);
    if (dwfl == NULL) return NULL;
    if (dwfl_linux_proc_report(dwfl, pid) != 0 || dwfl_report_end(dwfl, NULL, NULL) != 0) {
        dwfl_end(dwfl);
        return NULL;
    }
    return dwfl;
}

Dwfl *diag_dwfl_begin_core(Elf *core, const char *executable) {
    Dwfl *dwfl = dwfl_begin(&core_callbacks);
    if (dwfl == NULL) return NULL;
    if (dwfl_core_file_report(dwfl, core, executable) < 0 || dwfl_report_end(dwfl, NULL, NULL) != 0) {
        dwfl_end(dwfl);
        return NULL;
    }
    return dwfl;
}

/// What the frame callback fills for one thread.
struct stack_walk {
    Dwarf_Addr *pcs;
    unsigned char *exact;
    Dwarf_Addr *frame_pointers;
    size_t count;
    size_t capacity;
};

static int collect_frame(Dwfl_Frame *frame, void *argument) {
    struct stack_walk *walk = argument;
    Dwarf_Addr pc = 0;
    bool is_activation = false;
    if (!dwfl_frame_pc(frame, &pc, &is_activation)) return DWARF_CB_ABORT;
    Dwarf_Word frame_pointer = 0;
    /* DWARF register 6 is rbp on x86_64. */
    if (dwfl_frame_reg(frame, 6, &frame_pointer) != 0) frame_pointer = 0;
    walk->pcs[walk->count] = pc;
    walk->exact[walk->count] = is_activation ? 1 : 0;
    walk->frame_pointers[walk->count] = frame_pointer;
    walk->count += 1;
    return walk->count < walk->capacity ? DWARF_CB_OK : DWARF_CB_ABORT;
}

struct thread_walk {
    struct stack_walk stack;
    diag_thread_stack_sink sink;
    void *context;
    int threads;
};

static int visit_thread(Dwfl_Thread *thread, void *argument) {
    struct thread_walk *walk = argument;
    walk->stack.count = 0;
    const char *error = NULL;
    if (dwfl_thread_getframes(thread, collect_frame, &walk->stack) != 0 && walk->stack.count < walk->stack.capacity) {
        /* End of the stack is reported as an error when no frame could be unwound further. */
        int code = dwfl_errno();
        if (code != 0) error = dwfl_errmsg(code);
    }
    walk->threads += 1;
    if (walk->sink(walk->context, dwfl_thread_tid(thread), walk->stack.pcs, walk->stack.exact,
                   walk->stack.frame_pointers, walk->stack.count, error) != 0) {
        return DWARF_CB_ABORT;
    }
    return DWARF_CB_OK;
}

int diag_dwfl_core_stacks(Dwfl *dwfl, Elf *core, size_t max_frames,
                          diag_thread_stack_sink sink, void *context) {
    if (max_frames == 0) max_frames = 1;
    if (dwfl_core_file_attach(dwfl, core) < 0) return -1;
    struct thread_walk walk = {
        .stack = {
            .pcs = calloc(max_frames, sizeof(Dwarf_Addr)),
            .exact = calloc(max_frames, 1),
            .frame_pointers = calloc(max_frames, sizeof(Dwarf_Addr)),
            .count = 0,
            .capacity = max_frames,
        },
        .sink = sink,
        .context = context,
        .threads = 0,
    };
    if (walk.stack.pcs == NULL || walk.stack.exact == NULL || walk.stack.frame_pointers == NULL) {
        free(walk.stack.pcs);
        free(walk.stack.exact);
        free(walk.stack.frame_pointers);
        return -1;
    }
    dwfl_getthreads(dwfl, visit_thread, &walk);
    free(walk.stack.pcs);
    free(walk.stack.exact);
    free(walk.stack.frame_pointers);
    return walk.threads;
}

char *diag_demangle_itanium(const char *mangled) {
    int status = 0;
    char *result = __cxa_demangle(mangled, NULL, NULL, &status);
    if (status != 0) {
        free(result);
        return NULL;
    }
    return result;
}
