#define _GNU_SOURCE
#include "debuginfo_cache.h"

#include "CDwflShim.h"
#include "uncompressed_copy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Decompressed copies bigger than this are not cached (a hostile debug file could be a zip bomb). */
#define LARGEST_CACHED_COPY (512ull << 20)
/* The cache's size limit unless DIAG_CACHE_MAX_SIZE sets another. */
#define DEFAULT_CACHE_LIMIT (2ull << 30)
/* Temporary files older than this are left over from an interrupted copy. */
#define ABANDONED_TEMPORARY_SECONDS 3600

static char *cache_directory = NULL;
static pthread_once_t cache_directory_once = PTHREAD_ONCE_INIT;

/* $DIAG_CACHE_DIR/debuginfo, else $XDG_CACHE_HOME/diag/debuginfo, else
   $HOME/.cache/diag/debuginfo; none when DIAG_CACHE_DIR is set to something that is not an
   absolute path (an empty value turns the cache off). */
static void find_cache_directory(void) {
    const char *chosen = getenv("DIAG_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char path[PATH_MAX];
    int length = -1;
    if (chosen != NULL) {
        if (chosen[0] == '/') length = snprintf(path, sizeof path, "%s/debuginfo", chosen);
    } else if (xdg != NULL && xdg[0] == '/') {
        length = snprintf(path, sizeof path, "%s/diag/debuginfo", xdg);
    } else if (home != NULL && home[0] == '/') {
        length = snprintf(path, sizeof path, "%s/.cache/diag/debuginfo", home);
    }
    if (length > 0 && length < (int)sizeof path) cache_directory = strdup(path);
}

/* Creates `directory` and its missing parents with mode 0700; true when it is then a real
   directory (not a symbolic link) owned by this user that no one else can write. */
static bool prepare_directory(const char *directory) {
    char path[PATH_MAX];
    size_t length = strlen(directory);
    if (length == 0 || length >= sizeof path) return false;
    memcpy(path, directory, length + 1);
    for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) return false;
        *slash = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return false;
    struct stat status;
    return lstat(path, &status) == 0 && S_ISDIR(status.st_mode) && status.st_uid == geteuid()
        && (status.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/* The lowercase hex build-id of `module` and its bytes, or false when it has none. */
static bool module_build_id(Dwfl_Module *module, char *text, size_t capacity, const unsigned char **bits, int *length) {
    GElf_Addr address = 0;
    *length = dwfl_module_build_id(module, bits, &address);
    if (*length <= 0 || *bits == NULL || (size_t)*length * 2 + 1 > capacity) return false;
    for (int index = 0; index < *length; index++) snprintf(text + index * 2, 3, "%02x", (*bits)[index]);
    return true;
}

/* True when a note section of `elf` holds the GNU build-id `bits`. */
static bool has_build_id(Elf *elf, const unsigned char *bits, int length) {
    for (Elf_Scn *section = elf_nextscn(elf, NULL); section != NULL; section = elf_nextscn(elf, section)) {
        GElf_Shdr header;
        if (gelf_getshdr(section, &header) == NULL || header.sh_type != SHT_NOTE) continue;
        Elf_Data *data = elf_getdata(section, NULL);
        size_t offset = 0;
        size_t name_offset = 0;
        size_t description_offset = 0;
        GElf_Nhdr note;
        while (data != NULL && (offset = gelf_getnote(data, offset, &note, &name_offset, &description_offset)) > 0) {
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && note.n_descsz == (GElf_Word)length
                && memcmp((const char *)data->d_buf + name_offset, "GNU", 4) == 0
                && memcmp((const char *)data->d_buf + description_offset, bits, (size_t)length) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* True when a section of `elf` is compressed (SHF_COMPRESSED). */
static bool has_compressed_section(Elf *elf) {
    for (Elf_Scn *section = elf_nextscn(elf, NULL); section != NULL; section = elf_nextscn(elf, section)) {
        GElf_Shdr header;
        if (gelf_getshdr(section, &header) != NULL && (header.sh_flags & SHF_COMPRESSED) != 0) return true;
    }
    return false;
}

/* Makes the cached copy of the debug file open as `source` at `path`, through a private
   temporary file renamed into place, so that a reader never sees a partial copy. */
static bool make_copy(int source, const struct stat *original, const char *path,
                      const unsigned char *build_id, int build_id_length) {
    if (elf_version(EV_CURRENT) == EV_NONE) return false;
    Elf *elf = elf_begin(source, ELF_C_READ_MMAP, NULL);
    if (elf == NULL) return false;
    bool ok = elf_kind(elf) == ELF_K_ELF && has_compressed_section(elf) && has_build_id(elf, build_id, build_id_length);
    char temporary[PATH_MAX];
    int target = -1;
    if (ok) {
        ok = snprintf(temporary, sizeof temporary, "%s.XXXXXX", path) < (int)sizeof temporary;
        target = ok ? mkostemp(temporary, O_CLOEXEC) : -1;
        ok = target >= 0;
    }
    if (ok) {
        ok = diag_write_uncompressed_copy(elf, target, LARGEST_CACHED_COPY);
        /* The modification time says which original the copy was made from; the access time
           says when it was last used (see prune_cache). */
        struct timespec times[2] = { {.tv_nsec = UTIME_NOW}, original->st_mtim };
        ok = ok && futimens(target, times) == 0;
        ok = ok && rename(temporary, path) == 0;
        if (!ok) unlink(temporary);
    }
    if (target >= 0) close(target);
    elf_end(elf);
    return ok;
}

/* The cached copy at `path` when it is this user's regular file made from `original`
   (same modification time) with a sound ELF header and the length that header implies, or
   -1. Copies are not synced to disk (that would cost more than the decompression they
   save): these checks catch most copies a system crash left incomplete, and deleting the
   directory clears any other. */
static int open_copy(const char *path, const struct stat *original) {
    int descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (descriptor < 0) return -1;
    struct stat status;
    Elf64_Ehdr header;
    bool ok = fstat(descriptor, &status) == 0 && S_ISREG(status.st_mode) && status.st_uid == geteuid()
        && status.st_mtim.tv_sec == original->st_mtim.tv_sec && status.st_mtim.tv_nsec == original->st_mtim.tv_nsec
        && pread(descriptor, &header, sizeof header, 0) == (ssize_t)sizeof header
        && memcmp(header.e_ident, ELFMAG, SELFMAG) == 0 && header.e_ident[EI_CLASS] == ELFCLASS64
        && header.e_shentsize == sizeof(Elf64_Shdr)
        && header.e_shoff + (uint64_t)header.e_shnum * sizeof(Elf64_Shdr) == (uint64_t)status.st_size;
    if (!ok) {
        close(descriptor);
        return -1;
    }
    struct timespec used_now[2] = { {.tv_nsec = UTIME_NOW}, {.tv_nsec = UTIME_OMIT} };
    futimens(descriptor, used_now);
    return descriptor;
}

/* DIAG_CACHE_MAX_SIZE as bytes (a number with an optional K, M or G suffix, powers of 1024),
   else DEFAULT_CACHE_LIMIT. */
static uint64_t cache_limit(void) {
    const char *text = getenv("DIAG_CACHE_MAX_SIZE");
    if (text == NULL || *text == '\0') return DEFAULT_CACHE_LIMIT;
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text) return DEFAULT_CACHE_LIMIT;
    int shift = 0;
    switch (*end) {
    case 'K': case 'k': shift = 10; end++; break;
    case 'M': case 'm': shift = 20; end++; break;
    case 'G': case 'g': shift = 30; end++; break;
    default: break;
    }
    if (*end == 'i' && shift != 0) end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end != '\0' || value > (UINT64_MAX >> shift)) return DEFAULT_CACHE_LIMIT;
    return (uint64_t)value << shift;
}

/* One cached copy, for pruning. */
typedef struct cached_file {
    char name[NAME_MAX + 1];
    uint64_t bytes;
    struct timespec last_used;
} cached_file;

static int least_recently_used_first(const void *left, const void *right) {
    const struct timespec *a = &((const cached_file *)left)->last_used, *b = &((const cached_file *)right)->last_used;
    if (a->tv_sec != b->tv_sec) return a->tv_sec < b->tv_sec ? -1 : 1;
    return a->tv_nsec < b->tv_nsec ? -1 : a->tv_nsec > b->tv_nsec;
}

/* Keeps the cache directory within its size limit: removes the copies used least recently
   (never `keep`, the one just made) until the rest fit, and temporary files an interrupted
   copy left behind. Only this user's regular files are touched. */
static void prune_cache(const char *keep) {
    int directory_descriptor = open(cache_directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (directory_descriptor < 0) return;
    DIR *directory = fdopendir(directory_descriptor);
    if (directory == NULL) {
        close(directory_descriptor);
        return;
    }
    cached_file *files = NULL;
    size_t count = 0, capacity = 0;
    uint64_t total = 0;
    time_t now = time(NULL);
    for (struct dirent *entry = readdir(directory); entry != NULL; entry = readdir(directory)) {
        struct stat status;
        if (fstatat(directory_descriptor, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(status.st_mode)
            || status.st_uid != geteuid()) continue;
        const char *suffix = strstr(entry->d_name, ".debug");
        if (suffix == NULL) continue;
        if (suffix[6] == '.') {  /* NAME.debug.XXXXXX: a temporary file */
            if (now - status.st_mtim.tv_sec > ABANDONED_TEMPORARY_SECONDS) unlinkat(directory_descriptor, entry->d_name, 0);
            continue;
        }
        if (suffix[6] != '\0') continue;
        total += (uint64_t)status.st_size;
        if (strcmp(entry->d_name, keep) == 0) continue;
        if (count == capacity) {
            size_t grown = capacity == 0 ? 16 : capacity * 2;
            cached_file *larger = realloc(files, grown * sizeof *files);
            if (larger == NULL) break;
            files = larger;
            capacity = grown;
        }
        snprintf(files[count].name, sizeof files[count].name, "%s", entry->d_name);
        files[count].bytes = (uint64_t)status.st_size;
        files[count].last_used = status.st_atim;
        count++;
    }
    uint64_t limit = cache_limit();
    if (total > limit && count > 0) {
        qsort(files, count, sizeof *files, least_recently_used_first);
        for (size_t index = 0; index < count && total > limit; index++) {
            if (unlinkat(directory_descriptor, files[index].name, 0) == 0) total -= files[index].bytes;
        }
    }
    free(files);
    closedir(directory);
}

/* The cached copy of the debug file `original`, made now when missing or stale, or -1 when
   the file does not exist or has no compressed DWARF. */
static int cached_copy(const char *original, const char *copy, const unsigned char *build_id, int build_id_length) {
    int source = open(original, O_RDONLY | O_CLOEXEC);
    if (source < 0) return -1;
    struct stat status;
    int cached = -1;
    if (fstat(source, &status) == 0 && S_ISREG(status.st_mode)) {
        cached = open_copy(copy, &status);
        if (cached < 0 && prepare_directory(cache_directory)
            && make_copy(source, &status, copy, build_id, build_id_length)) {
            cached = open_copy(copy, &status);
            const char *name = strrchr(copy, '/');
            prune_cache(name != NULL ? name + 1 : copy);
        }
    }
    close(source);
    return cached;
}

/* Debug files found by build-id under /usr/lib/debug come from the cache; anything else
   goes through libdwfl's standard search. (The standard search cannot be asked first: it
   keeps its own handle on the file it finds, whatever descriptor this callback returns.) */
int diag_find_debuginfo_cached(Dwfl_Module *module, void **userdata, const char *module_name,
                               Dwarf_Addr base, const char *file_name, const char *debuglink_file,
                               GElf_Word debuglink_crc, char **debuginfo_file_name) {
    char build_id[256];
    char original[PATH_MAX];
    char copy[PATH_MAX];
    const unsigned char *bits = NULL;
    int length = 0;
    pthread_once(&cache_directory_once, find_cache_directory);
    if (cache_directory != NULL && module_build_id(module, build_id, sizeof build_id, &bits, &length) && length >= 2
        && snprintf(original, sizeof original, "/usr/lib/debug/.build-id/%.2s/%s.debug", build_id, build_id + 2) < (int)sizeof original
        && snprintf(copy, sizeof copy, "%s/%s.debug", cache_directory, build_id) < (int)sizeof copy) {
        int cached = cached_copy(original, copy, bits, length);
        if (cached >= 0) {
            *debuginfo_file_name = strdup(original);
            return cached;
        }
    }
    return dwfl_standard_find_debuginfo(module, userdata, module_name, base, file_name,
                                        debuglink_file, debuglink_crc, debuginfo_file_name);
}
