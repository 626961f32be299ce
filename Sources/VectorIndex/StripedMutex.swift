#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed array of mutexes; item `i` is guarded by mutex `i % stripes`. Used by parallel HNSW
/// inserts to guard each node's link list. A thread holds at most one stripe at a time, so
/// stripes shared by unrelated nodes can slow but never deadlock.
final class StripedMutex: @unchecked Sendable {
    private let mutexes: UnsafeMutablePointer<pthread_mutex_t>
    private let stripes: Int

    init(stripes: Int = 4096) {
        self.stripes = stripes
        mutexes = .allocate(capacity: stripes)
        for i in 0..<stripes { pthread_mutex_init(mutexes + i, nil) }
    }

    deinit {
        for i in 0..<stripes { pthread_mutex_destroy(mutexes + i) }
        mutexes.deallocate()
    }

    @inline(__always)
    func withLock<T>(_ item: Int, _ body: () throws -> T) rethrows -> T {
        let mutex = mutexes + (item & (stripes &- 1))
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
