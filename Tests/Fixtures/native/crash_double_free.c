/* Frees the same block twice: glibc's malloc detects it and aborts with its message. */
#include "fixture.h"

char *volatile block;

__attribute__((noinline)) void release_block_twice(void) {
    block = malloc(64);
    free(block);
    free(block);
}

int main(void) {
    release_block_twice();
    return 0;
}
