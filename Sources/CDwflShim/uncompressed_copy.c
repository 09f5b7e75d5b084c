#include "uncompressed_copy.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Where one section of the copy comes from and goes to. */
struct section_plan {
    GElf_Shdr header;        /* the copy's header (offset, size, flags as written) */
    const unsigned char *bytes;  /* the source bytes: as they are, or a zlib stream */
    size_t byte_count;
    bool inflate;
};

static bool is_location_list(const char *name) {
    return strcmp(name, ".debug_loc") == 0 || strcmp(name, ".debug_loclists") == 0;
}

/* Plans one section of the copy from the source section (`image` is the mapped source file),
   or returns false for anything this writer does not handle. */
static bool plan_section(Elf *source, Elf_Scn *section, size_t names, const unsigned char *image, size_t image_size,
                         struct section_plan *plan, unsigned long long *inflated_total) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == NULL) return false;
    plan->header = header;
    plan->bytes = NULL;
    plan->byte_count = 0;
    plan->inflate = false;
    if (header.sh_type == SHT_NOBITS) return true;
    if (header.sh_offset > image_size || header.sh_size > image_size - header.sh_offset) return false;
    const unsigned char *bytes = image + header.sh_offset;
    if ((header.sh_flags & SHF_COMPRESSED) == 0) {
        plan->bytes = bytes;
        plan->byte_count = header.sh_size;
        return true;
    }
    const char *name = elf_strptr(source, names, header.sh_name);
    if (name == NULL) return false;
    plan->header.sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
    if (is_location_list(name)) {
        plan->header.sh_type = SHT_NOBITS;
        plan->header.sh_size = 0;
        return true;
    }
    Elf64_Chdr compression;
    if (header.sh_size < sizeof compression) return false;
    memcpy(&compression, bytes, sizeof compression);
    if (compression.ch_type != ELFCOMPRESS_ZLIB) return false;
    plan->header.sh_size = compression.ch_size;
    plan->header.sh_addralign = compression.ch_addralign;
    plan->bytes = bytes + sizeof compression;
    plan->byte_count = header.sh_size - sizeof compression;
    plan->inflate = true;
    *inflated_total += compression.ch_size;
    return true;
}

/* A piece of the copy at a time: small enough to stay in the CPU's cache between inflating
   and writing it (inflating a whole section into fresh memory cost more in page faults). */
#define PIECE_SIZE (256u << 10)

/* Writes all of `bytes` at `offset` of `target`. */
static bool write_at(int target, const void *bytes, size_t count, uint64_t offset) {
    const unsigned char *cursor = bytes;
    while (count > 0) {
        ssize_t written = pwrite(target, cursor, count, (off_t)offset);
        if (written <= 0) return false;
        cursor += written;
        count -= (size_t)written;
        offset += (uint64_t)written;
    }
    return true;
}

/* Inflates a zlib stream of exactly `size` bytes to `offset` of `target`, a piece at a time
   through `piece`. */
static bool inflate_to(const unsigned char *bytes, size_t count, int target, uint64_t offset, uint64_t size,
                       unsigned char *piece) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) return false;
    stream.next_in = (unsigned char *)bytes;
    size_t input_left = count;
    uint64_t written = 0;
    int status = Z_OK;
    bool ok = true;
    while (ok && status != Z_STREAM_END) {
        /* avail_in is 32-bit: feed larger sections in parts. */
        if (stream.avail_in == 0) {
            stream.avail_in = input_left > UINT32_MAX ? UINT32_MAX : (uInt)input_left;
            input_left -= stream.avail_in;
        }
        stream.next_out = piece;
        stream.avail_out = PIECE_SIZE;
        status = inflate(&stream, Z_NO_FLUSH);
        size_t produced = PIECE_SIZE - stream.avail_out;
        ok = (status == Z_OK || status == Z_STREAM_END) && written + produced <= size
            && write_at(target, piece, produced, offset + written);
        written += produced;
        if (status == Z_OK && produced == 0 && stream.avail_in == 0 && input_left == 0) ok = false;
    }
    inflateEnd(&stream);
    return ok && written == size;
}

static uint64_t align_up(uint64_t value, uint64_t alignment) {
    return alignment > 1 ? (value + alignment - 1) / alignment * alignment : value;
}

bool diag_write_uncompressed_copy(Elf *source, int target, unsigned long long largest) {
    GElf_Ehdr file_header;
    size_t names = 0;
    size_t section_count = 0;
    size_t program_header_count = 0;
    size_t image_size = 0;
    const unsigned char *image = (const unsigned char *)elf_rawfile(source, &image_size);
    if (image == NULL || gelf_getclass(source) != ELFCLASS64 || gelf_getehdr(source, &file_header) == NULL
        || elf_getshdrstrndx(source, &names) != 0 || elf_getshdrnum(source, &section_count) != 0
        || elf_getphdrnum(source, &program_header_count) != 0 || section_count == 0 || section_count >= SHN_LORESERVE
        || file_header.e_shstrndx >= SHN_LORESERVE || program_header_count >= PN_XNUM) {
        return false;
    }
    if (program_header_count > 0 && (file_header.e_phoff > image_size
                                     || program_header_count * sizeof(Elf64_Phdr) > image_size - file_header.e_phoff)) {
        return false;
    }
    struct section_plan *plans = calloc(section_count, sizeof *plans);
    if (plans == NULL) return false;
    unsigned long long inflated = 0;
    bool ok = true;
    /* Layout: file header, program headers, sections in order, section headers. */
    uint64_t offset = sizeof(Elf64_Ehdr) + program_header_count * sizeof(Elf64_Phdr);
    for (size_t index = 1; ok && index < section_count; index++) {
        Elf_Scn *section = elf_getscn(source, index);
        ok = section != NULL && plan_section(source, section, names, image, image_size, &plans[index], &inflated);
        if (!ok) break;
        offset = align_up(offset, plans[index].header.sh_addralign);
        plans[index].header.sh_offset = offset;
        if (plans[index].header.sh_type != SHT_NOBITS) offset += plans[index].header.sh_size;
    }
    ok = ok && inflated > 0 && inflated <= largest;
    uint64_t section_headers = align_up(offset, 8);
    uint64_t total = section_headers + section_count * sizeof(Elf64_Shdr);
    unsigned char *piece = ok ? malloc(PIECE_SIZE) : NULL;
    ok = ok && piece != NULL && ftruncate(target, (off_t)total) == 0;
    if (ok) {
        Elf64_Ehdr header;
        memcpy(&header, image, sizeof header);
        header.e_phoff = program_header_count > 0 ? sizeof(Elf64_Ehdr) : 0;
        header.e_shoff = section_headers;
        header.e_shnum = (Elf64_Half)section_count;
        ok = write_at(target, &header, sizeof header, 0)
            && write_at(target, image + file_header.e_phoff, program_header_count * sizeof(Elf64_Phdr), sizeof header);
    }
    Elf64_Shdr *headers = ok ? calloc(section_count, sizeof *headers) : NULL;
    ok = ok && headers != NULL;
    for (size_t index = 1; ok && index < section_count; index++) {
        const struct section_plan *plan = &plans[index];
        if (plan->inflate) {
            ok = inflate_to(plan->bytes, plan->byte_count, target, plan->header.sh_offset, plan->header.sh_size, piece);
        } else if (plan->bytes != NULL) {
            ok = write_at(target, plan->bytes, plan->byte_count, plan->header.sh_offset);
        }
        headers[index] = (Elf64_Shdr){
            .sh_name = plan->header.sh_name, .sh_type = plan->header.sh_type, .sh_flags = plan->header.sh_flags,
            .sh_addr = plan->header.sh_addr, .sh_offset = plan->header.sh_offset, .sh_size = plan->header.sh_size,
            .sh_link = plan->header.sh_link, .sh_info = plan->header.sh_info,
            .sh_addralign = plan->header.sh_addralign, .sh_entsize = plan->header.sh_entsize,
        };
    }
    ok = ok && write_at(target, headers, section_count * sizeof *headers, section_headers);
    free(headers);
    free(piece);
    free(plans);
    return ok;
}
