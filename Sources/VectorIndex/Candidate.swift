/// A (distance, slot) pair ordered by distance, then slot, for the search queues (`Heap`).
/// `slot` is an internal storage position, not a caller id.
struct Candidate: Comparable, Sendable {
    var distance: Float
    var slot: UInt32

    @inline(__always)
    static func < (lhs: Candidate, rhs: Candidate) -> Bool {
        lhs.distance < rhs.distance || (lhs.distance == rhs.distance && lhs.slot < rhs.slot)
    }
}
