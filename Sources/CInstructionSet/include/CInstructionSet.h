#ifndef COLECIONADOR_CINSTRUCTIONSET_H
#define COLECIONADOR_CINSTRUCTIONSET_H

#include "CPrefetch.h"

// Instruction-set levels, numbered as the x86-64 psABI levels: 1 = baseline x86-64 (SSE2),
// 3 = x86-64-v3 (AVX2, FMA), 4 = x86-64-v4 (AVX-512 F/BW/VL/DQ). 0 = not x86-64 (arm64 …), where
// no flag is needed: NEON and FMA are part of the baseline.

// The level the *including* code is compiled for. Static inline on purpose: Swift modules import
// this header through their own clang importer, which receives the same target options as the
// module's code (`-Xcc -march=…`, `-Xswiftc -target-cpu …`), so the value is the level of the
// Swift code that reads it — a compile-time constant the optimiser folds.
static inline int colecionador_compiled_isa_level(void) {
#if defined(__x86_64__)
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
    return 4;
#elif defined(__AVX2__) && defined(__FMA__)
    return 3;
#else
    return 1;
#endif
#else
    return 0;
#endif
}

// Whether the including code may use fused multiply-add instructions: Swift's `addingProduct`
// is one instruction then, a library call per lane otherwise.
static inline int colecionador_compiled_has_fma(void) {
#if defined(__FMA__) || defined(__aarch64__) || defined(__ARM_FEATURE_FMA)
    return 1;
#else
    return 0;
#endif
}

// The level this CPU and its operating system support (cpuid, and xgetbv for the register state
// the OS saves), on the same scale.
int colecionador_cpu_isa_level(void);

#endif
