// glibc's malloc tuning (mallopt), which Swift's Glibc module does not expose. See RotorServer/ProcessMemory.swift.
#ifndef ROTOR_MALLOC_H
#define ROTOR_MALLOC_H

/// Sets glibc's mmap threshold (bytes) and arena limit; returns 1 when both were applied, 0 elsewhere.
int rotor_malloc_tune(int mmap_threshold, int arena_max);

#endif
