#include "rotor_malloc.h"
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int rotor_malloc_tune(int mmap_threshold, int arena_max) {
#if defined(__GLIBC__)
    int ok = 1;
    if (getenv("MALLOC_MMAP_THRESHOLD_") == NULL) ok &= mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    if (getenv("MALLOC_ARENA_MAX") == NULL) ok &= mallopt(M_ARENA_MAX, arena_max);
    return ok;
#else
    (void)mmap_threshold;
    (void)arena_max;
    return 0;
#endif
}
