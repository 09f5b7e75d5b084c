// libunwind accessors over a thread snapshot. See diag_snapshot_unwind.h.
#define _GNU_SOURCE
#include "diag_snapshot_unwind.h"

#include <libunwind.h>
#include "frame_walk.h"
#include <libunwind-ptrace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#define PAGE_SIZE_BYTES 4096u
#define PAGE_CACHE_SLOTS 1024u
#define MAX_MAPPINGS 4096

/// One mapping of the target, to tell read-only memory (safe to cache) from the rest.
typedef struct mapping {
    uint64_t start, end;
    bool writable;
} mapping;

/// A direct-mapped cache of pages of read-only memory (unwind tables, code).
typedef struct page_slot {
    uint64_t address;  // page address + 1, 0 when empty
    uint8_t bytes[PAGE_SIZE_BYTES];
} page_slot;

struct diag_snapshot_unwinder {
    pid_t pid;
    unw_addr_space_t address_space;
    void *ptrace_state;
    page_slot *pages;
    mapping *mappings;
    int mapping_count;
    bool maps_reloaded_for_miss;
    uint64_t live_reads;
    // The snapshot being unwound.
    const diag_thread_snapshot *snapshot;
    const uint8_t *stack;
};

/// libunwind-ptrace's find_proc_info passes its own state to access_mem, so the accessors
/// find the unwinder being used through this instead of their argument.
static __thread diag_snapshot_unwinder *current;

static void load_mappings(diag_snapshot_unwinder *unwinder) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)unwinder->pid);
    FILE *file = fopen(path, "re");
    unwinder->mapping_count = 0;
    if (file == NULL) return;
    char line[4096];
    while (unwinder->mapping_count < MAX_MAPPINGS && fgets(line, sizeof line, file) != NULL) {
        unsigned long long start, end;
        char permissions[8] = {0};
        if (sscanf(line, "%llx-%llx %7s", &start, &end, permissions) != 3) continue;
        mapping *entry = &unwinder->mappings[unwinder->mapping_count++];
        entry->start = start;
        entry->end = end;
        entry->writable = permissions[1] == 'w';
    }
    fclose(file);
}

static const mapping *find_mapping(const diag_snapshot_unwinder *unwinder, uint64_t address) {
    int low = 0, high = unwinder->mapping_count - 1;
    while (low <= high) {
        int middle = (low + high) / 2;
        const mapping *entry = &unwinder->mappings[middle];
        if (address < entry->start) high = middle - 1;
        else if (address >= entry->end) low = middle + 1;
        else return entry;
    }
    return NULL;
}

static bool read_live(diag_snapshot_unwinder *unwinder, uint64_t address, void *buffer, size_t size) {
    unwinder->live_reads++;
    struct iovec local = {.iov_base = buffer, .iov_len = size};
    struct iovec remote = {.iov_base = (void *)(uintptr_t)address, .iov_len = size};
    return process_vm_readv(unwinder->pid, &local, 1, &remote, 1, 0) == (ssize_t)size;
}

/// Reads a word of read-only memory through the page cache.
static bool read_cached(diag_snapshot_unwinder *unwinder, uint64_t address, unw_word_t *value) {
    uint64_t page = address & ~(uint64_t)(PAGE_SIZE_BYTES - 1);
    page_slot *slot = &unwinder->pages[(page / PAGE_SIZE_BYTES) % PAGE_CACHE_SLOTS];
    if (slot->address != page + 1) {
        if (!read_live(unwinder, page, slot->bytes, PAGE_SIZE_BYTES)) {
            slot->address = 0;
            return read_live(unwinder, address, value, sizeof *value);
        }
        slot->address = page + 1;
    }
    memcpy(value, slot->bytes + (address - page), sizeof *value);
    return true;
}

static int access_memory(unw_addr_space_t space, unw_word_t address, unw_word_t *value, int write, void *argument) {
    (void)space;
    (void)argument;
    diag_snapshot_unwinder *unwinder = current;
    if (write) return -UNW_EINVAL;
    const diag_thread_snapshot *snapshot = unwinder->snapshot;
    if (address >= snapshot->stack_address && address + sizeof *value <= snapshot->stack_address + snapshot->stack_size) {
        memcpy(value, unwinder->stack + (address - snapshot->stack_address), sizeof *value);
        return 0;
    }
    uint64_t page_end = (address | (PAGE_SIZE_BYTES - 1)) + 1;
    const mapping *entry = find_mapping(unwinder, address);
    if (entry == NULL && !unwinder->maps_reloaded_for_miss) {
        // A library loaded since the last look: read the maps again, once per unwind.
        unwinder->maps_reloaded_for_miss = true;
        load_mappings(unwinder);
        entry = find_mapping(unwinder, address);
    }
    bool cacheable = entry != NULL && !entry->writable && address + sizeof *value <= page_end
        && entry->end >= page_end && entry->start <= (address & ~(uint64_t)(PAGE_SIZE_BYTES - 1));
    if (cacheable) return read_cached(unwinder, address, value) ? 0 : -UNW_EINVAL;
    return read_live(unwinder, address, value, sizeof *value) ? 0 : -UNW_EINVAL;
}

static int access_register(unw_addr_space_t space, unw_regnum_t number, unw_word_t *value, int write, void *argument) {
    (void)space;
    (void)argument;
    if (write) return -UNW_EREADONLYREG;
    if (number < 0 || number >= DIAG_SNAPSHOT_REGISTER_COUNT) return -UNW_EBADREG;
    *value = current->snapshot->registers[number];
    return 0;
}

static int access_float_register(unw_addr_space_t space, unw_regnum_t number, unw_fpreg_t *value, int write,
                                 void *argument) {
    (void)space, (void)number, (void)value, (void)write, (void)argument;
    return -UNW_EBADREG;
}

static int find_procedure_info(unw_addr_space_t space, unw_word_t ip, unw_proc_info_t *info, int need_unwind_info,
                               void *argument) {
    (void)argument;
    return _UPT_find_proc_info(space, ip, info, need_unwind_info, current->ptrace_state);
}

static void put_unwind_info(unw_addr_space_t space, unw_proc_info_t *info, void *argument) {
    (void)argument;
    _UPT_put_unwind_info(space, info, current->ptrace_state);
}

static int get_dynamic_info_list_address(unw_addr_space_t space, unw_word_t *address, void *argument) {
    (void)space, (void)address, (void)argument;
    return -UNW_ENOINFO;
}

static int resume_thread(unw_addr_space_t space, unw_cursor_t *cursor, void *argument) {
    (void)space, (void)cursor, (void)argument;
    return -UNW_EINVAL;
}

static int get_procedure_name(unw_addr_space_t space, unw_word_t address, char *buffer, size_t length,
                              unw_word_t *offset, void *argument) {
    (void)space, (void)address, (void)buffer, (void)length, (void)offset, (void)argument;
    return -UNW_ENOINFO;  // diag symbolizes with libdw afterwards
}

static unw_accessors_t snapshot_accessors = {
    .find_proc_info = find_procedure_info,
    .put_unwind_info = put_unwind_info,
    .get_dyn_info_list_addr = get_dynamic_info_list_address,
    .access_mem = access_memory,
    .access_reg = access_register,
    .access_fpreg = access_float_register,
    .resume = resume_thread,
    .get_proc_name = get_procedure_name,
};

diag_snapshot_unwinder *diag_snapshot_unwinder_create(pid_t pid) {
    diag_snapshot_unwinder *unwinder = calloc(1, sizeof *unwinder);
    if (unwinder == NULL) return NULL;
    unwinder->pid = pid;
    unwinder->pages = calloc(PAGE_CACHE_SLOTS, sizeof *unwinder->pages);
    unwinder->mappings = calloc(MAX_MAPPINGS, sizeof *unwinder->mappings);
    unwinder->address_space = unw_create_addr_space(&snapshot_accessors, 0);
    unwinder->ptrace_state = _UPT_create(pid);
    if (unwinder->pages == NULL || unwinder->mappings == NULL || unwinder->address_space == NULL
        || unwinder->ptrace_state == NULL) {
        diag_snapshot_unwinder_destroy(unwinder);
        return NULL;
    }
    // Unwind rules are per instruction address, the same in every thread: cache them all.
    unw_set_caching_policy(unwinder->address_space, UNW_CACHE_GLOBAL);
    unw_set_cache_size(unwinder->address_space, 4096, 0);
    load_mappings(unwinder);
    return unwinder;
}

int diag_snapshot_unwind(diag_snapshot_unwinder *unwinder, const diag_thread_snapshot *snapshot,
                         const uint8_t *stack, uint64_t *ips, int capacity) {
    return diag_snapshot_unwind_frames(unwinder, snapshot, stack, ips, NULL, capacity);
}

int diag_snapshot_unwind_frames(diag_snapshot_unwinder *unwinder, const diag_thread_snapshot *snapshot,
                                const uint8_t *stack, uint64_t *ips, uint64_t *frame_pointers, int capacity) {
    if (capacity <= 0) return 0;
    current = unwinder;
    unwinder->snapshot = snapshot;
    unwinder->stack = stack;
    unwinder->maps_reloaded_for_miss = false;
    unw_cursor_t cursor;
    int status = unw_init_remote(&cursor, unwinder->address_space, unwinder);
    if (status < 0) {
        current = NULL;
        ips[0] = snapshot->registers[DIAG_SNAPSHOT_REGISTER_IP];
        if (frame_pointers != NULL) frame_pointers[0] = snapshot->registers[6];
        return ips[0] != 0 ? 1 : status;
    }
    int count = diag_walk_frames_recording(&cursor, ips, frame_pointers, capacity);
    current = NULL;
    return count;
}

uint64_t diag_snapshot_unwinder_live_reads(const diag_snapshot_unwinder *unwinder) {
    return unwinder->live_reads;
}

void diag_snapshot_unwinder_destroy(diag_snapshot_unwinder *unwinder) {
    if (unwinder == NULL) return;
    if (unwinder->ptrace_state != NULL) _UPT_destroy(unwinder->ptrace_state);
    if (unwinder->address_space != NULL) unw_destroy_addr_space(unwinder->address_space);
    free(unwinder->pages);
    free(unwinder->mappings);
    free(unwinder);
}
