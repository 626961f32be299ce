#ifndef COLECIONADOR_CSPINWAIT_H
#define COLECIONADOR_CSPINWAIT_H

// A hint that the caller is spinning on a memory location, for `KernelThreadPool`'s waits.
// On x86, `pause` lets the other hardware thread of the core run (this VM's two vCPUs may be
// siblings) and avoids the pipeline flush when the spin ends; on arm64, `yield`. Swift has no
// spelling for either.
static inline void colecionador_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
