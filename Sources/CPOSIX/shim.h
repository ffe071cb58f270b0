#ifndef CPOSIX_SHIM_H
#define CPOSIX_SHIM_H

// Only what Glibc's Swift module lacks: it does not include malloc.h, and it is built without
// _GNU_SOURCE, so pthread_setname_np and MADV_PAGEOUT are missing. Everything else comes from Glibc.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>

// Linux 5.4+; older headers lack the constant, and the kernel answers EINVAL to it.
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/// madvise advice: drop these pages from this process (clean file pages are read back on use).
static const int cposix_madv_pageout = MADV_PAGEOUT;

/// Names the calling thread (the kernel keeps 15 bytes and a NUL); 0 or an errno value.
static inline int cposix_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

/// Returns free memory at the top of the heap and in arenas to the kernel; 1 when some was returned.
static inline int cposix_malloc_trim(void) {
    return malloc_trim(0);
}

#endif
