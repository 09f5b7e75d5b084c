#ifndef DIAG_KNOWN_FUNCTION_H
#define DIAG_KNOWN_FUNCTION_H
/* A function at a known source line, for the symbolization tests. */
const void *knownFunctionAddress(void);
int diag_test_known_function(int value);
#endif
