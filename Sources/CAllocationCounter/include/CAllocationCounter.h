#ifndef COLECIONADOR_ALLOCATION_COUNTER_H
#define COLECIONADOR_ALLOCATION_COUNTER_H
// Counts heap allocations made by the calling thread, so tests and the benchmark can prove that
// a planned network runs without allocating. Linking this target replaces malloc & co. in the
// executable with forwarders to glibc's implementation that bump a thread-local counter.

/// Starts counting this thread's allocations from zero.
void colecionador_allocation_counting_begin(void);
/// Stops counting and returns how many allocations this thread made since `begin`.
long long colecionador_allocation_counting_end(void);

#endif
