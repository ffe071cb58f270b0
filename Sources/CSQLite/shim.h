#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import: SQLite copies a
// value bound with it before the bind call returns.
static const sqlite3_destructor_type csqlite_transient = SQLITE_TRANSIENT;

#endif
