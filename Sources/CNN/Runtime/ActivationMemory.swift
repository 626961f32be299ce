#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Zeroed float memory for a workspace's activations, backed by 2 MiB pages where the system
/// lends them.
///
/// A forward pass of a mobile network streams ≈10 MB of activations per image through every
/// layer: on 4 KiB pages ~2,500 pages, more than the second-level TLB holds. Large allocations
/// are therefore aligned to 2 MiB and marked `MADV_HUGEPAGE`, which Linux honours when
/// transparent huge pages are set to `madvise` or `always`; elsewhere this is an ordinary aligned
/// allocation.
enum ActivationMemory {
    static let hugePageBytes = 2 << 20

    static func allocate(floats count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        let alignment = bytes >= hugePageBytes ? hugePageBytes : 64
        let rounded = (bytes + alignment - 1) / alignment * alignment
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            fatalError("out of memory: a workspace needs \(rounded) bytes")
        }
        #if os(Linux)
        if alignment == hugePageBytes { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        let floats = raw.bindMemory(to: Float.self, capacity: rounded / MemoryLayout<Float>.stride)
        floats.initialize(repeating: 0, count: max(1, count))
        return floats
    }

    static func deallocate(_ pointer: UnsafeMutablePointer<Float>) {
        free(pointer)
    }
}
