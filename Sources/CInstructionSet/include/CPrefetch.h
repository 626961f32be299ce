#ifndef COLECIONADOR_CPREFETCH_H
#define COLECIONADOR_CPREFETCH_H

// A hint to bring the cache line at `address` towards the core ahead of its use (all cache
// levels). Swift has no spelling for it; `PackedGEMM` uses it to pull the next weight panels
// while the current ones are still being multiplied. No effect on results.
static inline void colecionador_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
