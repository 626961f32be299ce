#include "CAllocationCounter.h"
#include <errno.h>
#include <stddef.h>

// Under AddressSanitizer or ThreadSanitizer the sanitizer owns malloc: replacing it would hand
// its free() blocks it never allocated. There the count comes from the sanitizer's allocation
// hooks instead, so the allocation tests keep checking under sanitizers.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define COLECIONADOR_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define COLECIONADOR_SANITIZED 1
#endif

// Initial-exec TLS: no allocation on first access, so it is safe inside malloc.
static __thread int counting __attribute__((tls_model("initial-exec")));
static __thread long long count __attribute__((tls_model("initial-exec")));

static inline void note(void) {
    if (counting) count++;
}

void colecionador_allocation_counting_begin(void) {
    count = 0;
    counting = 1;
}

long long colecionador_allocation_counting_end(void) {
    counting = 0;
    return count;
}

#ifdef COLECIONADOR_SANITIZED
#include <sanitizer/allocator_interface.h>

static void on_allocation(const volatile void *pointer, size_t size) {
    (void)pointer;
    (void)size;
    note();
}

static void on_free(const volatile void *pointer) { (void)pointer; }

__attribute__((constructor)) static void install_hooks(void) {
    __sanitizer_install_malloc_and_free_hooks(on_allocation, on_free);
}

#else

// glibc's own entry points, which the forwarders below call.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void __libc_free(void *pointer);

void *malloc(size_t size) {
    note();
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    note();
    return __libc_calloc(n, size);
}

void *realloc(void *pointer, size_t size) {
    note();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    note();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    note();
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    note();
    return __libc_valloc(size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    note();
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}

void free(void *pointer) {
    __libc_free(pointer);
}

#endif
