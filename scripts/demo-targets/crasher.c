/* Demo target: dereferences a null pointer in a known function, for 'diag core'. */
#include <stdio.h>

struct config { const char *name; int port; };

__attribute__((noinline)) static int read_port(const struct config *config) {
    return config->port;
}

int main(void) {
    struct config *missing = NULL;
    printf("port %d\n", read_port(missing));
    return 0;
}
