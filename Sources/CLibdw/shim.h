// elfutils: libdwfl (modules, symbols, core files, thread unwinding), libdw (DWARF), libelf.
#include <elfutils/libdwfl.h>
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <gelf.h>
#include <libelf.h>
