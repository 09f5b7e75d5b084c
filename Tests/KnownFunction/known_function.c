/* A function at a known source line, for the symbolization tests. */
#include "KnownFunction.h"

/* The entry address of diag_test_known_function resolves to line 5, where it starts. */
__attribute__((noinline)) int diag_test_known_function(int value) {
    volatile int result = value;
    return result * 3;
}

const void *knownFunctionAddress(void) { return (const void *)&diag_test_known_function; }
