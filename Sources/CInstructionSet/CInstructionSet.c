#include "CInstructionSet.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <stdint.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

int colecionador_cpu_isa_level(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 1;
    int fma = (ecx >> 12) & 1;
    int osxsave = (ecx >> 27) & 1;
    int avx = (ecx >> 28) & 1;
    if (!osxsave || !avx) return 1;
    uint64_t xcr0 = read_xcr0();
    // The OS saves the xmm and ymm halves (bits 1, 2); for AVX-512 also opmask and zmm (5, 6, 7).
    if ((xcr0 & 0x6) != 0x6) return 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 1;
    int avx2 = (ebx >> 5) & 1;
    int bmi1 = (ebx >> 3) & 1, bmi2 = (ebx >> 8) & 1;
    int avx512f = (ebx >> 16) & 1, avx512dq = (ebx >> 17) & 1;
    int avx512bw = (ebx >> 30) & 1, avx512vl = (ebx >> 31) & 1;
    if (!(avx2 && fma && bmi1 && bmi2)) return 1;
    if (avx512f && avx512dq && avx512bw && avx512vl && (xcr0 & 0xE0) == 0xE0) return 4;
    return 3;
}
#else
int colecionador_cpu_isa_level(void) { return 0; }
#endif
