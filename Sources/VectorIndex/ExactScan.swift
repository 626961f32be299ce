/// Exact k-nearest search over chosen slots of a vector arena: the brute-force path of
/// `FlatIndex`, and the fallback of `IVFIndex` and `HNSWIndex` when a filter is very selective.
enum ExactScan {
    /// Scans `slots` (positions in `vectors`, each `dimension` floats); `accepts(slot)` decides
    /// whether a slot may be returned.
    @inline(__always)
    static func nearest<Slots: Sequence<Int>>(
        to query: UnsafePointer<Float>, in vectors: UnsafePointer<Float>, dimension: Int, kernel: DistanceKernel,
        slots: Slots, k: Int, accepts: (Int) -> Bool
    ) -> TopK {
        var top = TopK(k: k)
        for slot in slots where accepts(slot) {
            let distance = kernel(query, vectors + slot &* dimension, dimension)
            if distance <= top.bound { top.offer(Candidate(distance: distance, slot: UInt32(slot))) }
        }
        return top
    }
}
