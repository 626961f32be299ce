/// Marks which slots a graph search has visited, cleared in O(1) by bumping an epoch (hnswlib's
/// `VisitedList`): slot `s` is visited iff `tags[s] == epoch`. Tags are wiped only when the
/// 16-bit epoch wraps around.
final class VisitedSet: @unchecked Sendable {
    private var tags: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private var epoch: UInt16 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        tags = .allocate(capacity: self.capacity)
        tags.initialize(repeating: 0, count: self.capacity)
    }

    deinit { tags.deallocate() }

    /// Starts a new search over at least `slots` slots.
    func reset(slots: Int) {
        if slots > capacity {
            tags.deallocate()
            capacity = max(slots, capacity * 2)
            tags = .allocate(capacity: capacity)
            tags.initialize(repeating: 0, count: capacity)
            epoch = 0
        }
        epoch &+= 1
        if epoch == 0 {
            tags.update(repeating: 0, count: capacity)
            epoch = 1
        }
    }

    /// Marks `slot`; returns `true` if it had not been visited in this search.
    @inline(__always)
    func insert(_ slot: UInt32) -> Bool {
        let s = Int(slot)
        if tags[s] == epoch { return false }
        tags[s] = epoch
        return true
    }
}
