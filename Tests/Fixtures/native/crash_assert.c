/* Fails an assert() in a known function: a SIGABRT core whose glibc abort message holds the
 * assertion text. */
#include "fixture.h"

#include <assert.h>

volatile int account_balance = -5;

__attribute__((noinline)) void check_account_balance(int balance) {
    assert(balance >= 0 && "balance must not go negative");
}

int main(void) {
    check_account_balance(account_balance);
    return 0;
}
