// libunwind: the remote (ptrace) unwinder and the generic x86_64 API.
#include <libunwind.h>
#include <libunwind-ptrace.h>
