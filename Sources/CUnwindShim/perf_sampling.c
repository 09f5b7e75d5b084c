// Per-thread perf_event sampling streams. See diag_perf_sampling.h.
#define _GNU_SOURCE
#include "diag_perf_sampling.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "diag's perf_event sampler reads x86_64 user registers"
#endif

// perf's x86_64 register numbers (asm/perf_regs.h), the ones an unwinder needs.
enum { PERF_AX = 0, PERF_BX, PERF_CX, PERF_DX, PERF_SI, PERF_DI, PERF_BP, PERF_SP, PERF_IP, PERF_R8 = 16 };
#define SAMPLED_REGISTER_COUNT 17
/// AX..IP (bits 0-8) and R8..R15 (bits 16-23); the record lists them in bit order.
static const uint64_t sampled_register_mask = 0x1ffULL | (0xffULL << PERF_R8);

/// The largest record the kernel writes (its size is a 16-bit field).
#define MAX_RECORD_BYTES 65536u

struct diag_perf_stream {
    int descriptor;
    struct perf_event_mmap_page *header;
    size_t mapped_bytes;
    uint8_t *data;
    uint64_t data_size;
    uint8_t record[MAX_RECORD_BYTES];
};

static int perf_event_open(struct perf_event_attr *attributes, pid_t tid) {
    return (int)syscall(SYS_perf_event_open, attributes, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

diag_perf_stream *diag_perf_stream_open(pid_t tid, uint64_t period_ns, uint32_t stack_bytes, uint32_t buffer_pages,
                                        int *error_code) {
    *error_code = 0;
    if (stack_bytes % 8 != 0 || stack_bytes > DIAG_PERF_MAX_STACK_BYTES || buffer_pages == 0
        || (buffer_pages & (buffer_pages - 1)) != 0 || period_ns == 0) {
        *error_code = EINVAL;
        return NULL;
    }
    struct perf_event_attr attributes;
    memset(&attributes, 0, sizeof attributes);
    attributes.size = sizeof attributes;
    attributes.type = PERF_TYPE_SOFTWARE;
    attributes.config = PERF_COUNT_SW_CPU_CLOCK;
    attributes.sample_period = period_ns;
    attributes.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
    attributes.sample_regs_user = sampled_register_mask;
    attributes.sample_stack_user = stack_bytes;
    attributes.exclude_hv = 1;
    attributes.use_clockid = 1;
    attributes.clockid = CLOCK_MONOTONIC;

    diag_perf_stream *stream = calloc(1, sizeof *stream);
    if (stream == NULL) {
        *error_code = ENOMEM;
        return NULL;
    }
    stream->descriptor = perf_event_open(&attributes, tid);
    if (stream->descriptor < 0) {
        *error_code = errno;
        free(stream);
        return NULL;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stream->mapped_bytes = (1 + (size_t)buffer_pages) * page;
    void *mapped = mmap(NULL, stream->mapped_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, stream->descriptor, 0);
    if (mapped == MAP_FAILED) {
        *error_code = errno;
        close(stream->descriptor);
        free(stream);
        return NULL;
    }
    stream->header = mapped;
    uint64_t offset = stream->header->data_offset != 0 ? stream->header->data_offset : page;
    stream->data = (uint8_t *)mapped + offset;
    stream->data_size = stream->header->data_size != 0 ? stream->header->data_size : (uint64_t)buffer_pages * page;
    return stream;
}

/// Copies `size` bytes at ring offset `position` out of the buffer, across its end.
static void copy_out(const diag_perf_stream *stream, uint64_t position, void *destination, size_t size) {
    uint64_t start = position % stream->data_size;
    size_t first = size;
    if (start + size > stream->data_size) first = (size_t)(stream->data_size - start);
    memcpy(destination, stream->data + start, first);
    if (first < size) memcpy((uint8_t *)destination + first, stream->data, size - first);
}

/// Reads a sample record (sample_type TID | TIME | REGS_USER | STACK_USER).
static diag_perf_record_kind parse_sample(const uint8_t *record, size_t size, diag_thread_snapshot *snapshot,
                                          uint8_t *stack, size_t capacity) {
    const uint8_t *cursor = record + sizeof(struct perf_event_header);
    const uint8_t *end = record + size;
    uint64_t word;
#define TAKE(destination, bytes)                          \
    do {                                                  \
        if (cursor + (bytes) > end) return DIAG_PERF_NO_USER_STATE; \
        memcpy((destination), cursor, (bytes));           \
        cursor += (bytes);                                \
    } while (0)
    uint32_t ids[2];
    TAKE(ids, sizeof ids);
    int64_t time;
    TAKE(&time, sizeof time);
    memset(snapshot, 0, sizeof *snapshot);
    snapshot->stopped_at_ns = time;
    TAKE(&word, sizeof word);  // the registers' ABI; 0: none
    if (word == PERF_SAMPLE_REGS_ABI_NONE) return DIAG_PERF_NO_USER_STATE;
    uint64_t values[SAMPLED_REGISTER_COUNT];
    TAKE(values, sizeof values);
    // To libunwind's numbering: rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8..r15, rip.
    uint64_t *registers = snapshot->registers;
    registers[0] = values[PERF_AX];
    registers[1] = values[PERF_DX];
    registers[2] = values[PERF_CX];
    registers[3] = values[PERF_BX];
    registers[4] = values[PERF_SI];
    registers[5] = values[PERF_DI];
    registers[6] = values[PERF_BP];
    registers[7] = values[PERF_SP];
    for (int index = 0; index < 8; index++) registers[8 + index] = values[PERF_IP + 1 + index];
    registers[DIAG_SNAPSHOT_REGISTER_IP] = values[PERF_IP];
    snapshot->stack_address = values[PERF_SP];
    uint64_t stack_size;
    TAKE(&stack_size, sizeof stack_size);
    if (stack_size > 0) {
        if (cursor + stack_size + sizeof(uint64_t) > end) return DIAG_PERF_NO_USER_STATE;
        uint64_t copied;
        memcpy(&copied, cursor + stack_size, sizeof copied);
        if (copied > stack_size) copied = stack_size;
        if (copied > capacity) copied = capacity;
        memcpy(stack, cursor, (size_t)copied);
        snapshot->stack_size = copied;
    }
#undef TAKE
    return DIAG_PERF_SAMPLE;
}

diag_perf_record_kind diag_perf_stream_next(diag_perf_stream *stream, diag_thread_snapshot *snapshot, uint8_t *stack,
                                            size_t capacity, uint64_t *lost) {
    for (;;) {
        uint64_t head = __atomic_load_n(&stream->header->data_head, __ATOMIC_ACQUIRE);
        uint64_t tail = stream->header->data_tail;
        if (head - tail < sizeof(struct perf_event_header)) return DIAG_PERF_EMPTY;
        struct perf_event_header header;
        copy_out(stream, tail, &header, sizeof header);
        if (header.size < sizeof header || head - tail < header.size) return DIAG_PERF_EMPTY;
        copy_out(stream, tail, stream->record, header.size);
        __atomic_store_n(&stream->header->data_tail, tail + header.size, __ATOMIC_RELEASE);
        switch (header.type) {
        case PERF_RECORD_SAMPLE:
            return parse_sample(stream->record, header.size, snapshot, stack, capacity);
        case PERF_RECORD_LOST: {
            // struct { header; u64 id; u64 lost; }
            if (header.size < sizeof header + 2 * sizeof(uint64_t)) continue;
            memcpy(lost, stream->record + sizeof header + sizeof(uint64_t), sizeof *lost);
            return DIAG_PERF_LOST;
        }
        default:
            continue;  // throttling and other bookkeeping records
        }
    }
}

void diag_perf_stream_close(diag_perf_stream *stream) {
    if (stream == NULL) return;
    if (stream->header != NULL) munmap(stream->header, stream->mapped_bytes);
    close(stream->descriptor);
    free(stream);
}
