// Cache hints for the numeric kernels: Swift has no prefetch instruction of its own, and an inline
// C function imported through this header compiles to the bare instruction inside Swift code.
#ifndef ARCADE_CACHE_HINTS_H
#define ARCADE_CACHE_HINTS_H

/// Asks the CPU to bring the cache line holding p close, for reading.
static inline void arcade_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// The same, for a line about to be written.
static inline void arcade_prefetch_for_write(const void *p) { __builtin_prefetch(p, 1, 3); }

#endif
