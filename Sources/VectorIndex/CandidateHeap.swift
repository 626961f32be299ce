/// Which candidate a `CandidateHeap` keeps on top.
protocol CandidateOrder {
    /// Whether `a` belongs above `b`.
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool
}

/// Top = smallest distance: the queue of nodes still to expand.
enum ClosestFirst: CandidateOrder {
    @inline(__always)
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool { a.distance < b.distance }
}

/// Top = largest distance: the bounded list of the best results, whose top is the bound to beat.
enum FarthestFirst: CandidateOrder {
    @inline(__always)
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool { a.distance > b.distance }
}

/// A binary heap of candidates ordered by distance only, in manually managed memory so that a
/// graph search reuses it from query to query without allocating or copy-on-write checks.
/// Layout: `base[0..<count]`, the children of `i` at `2i + 1` and `2i + 2`. The owner (a
/// `SearchBuffers`) calls `deallocate()` exactly once.
struct CandidateHeap<Order: CandidateOrder> {
    private(set) var base: UnsafeMutablePointer<Candidate>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The top element; the heap must not be empty.
    @inline(__always)
    var top: Candidate { base[0] }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func push(_ candidate: Candidate) {
        if count == capacity { grow() }
        var i = count
        count &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            guard Order.precedes(candidate, base[parent]) else { break }
            base[i] = base[parent]
            i = parent
        }
        base[i] = candidate
    }

    /// Removes and returns the top element; the heap must not be empty.
    @inline(__always)
    mutating func pop() -> Candidate {
        let first = base[0]
        count &-= 1
        if count > 0 { siftDown(base[count]) }
        return first
    }

    /// Replaces the top element by `candidate` (one sift instead of a pop and a push).
    @inline(__always)
    mutating func replaceTop(_ candidate: Candidate) {
        siftDown(candidate)
    }

    @inline(__always)
    private func siftDown(_ candidate: Candidate) {
        var i = 0
        while true {
            let left = 2 &* i &+ 1
            if left >= count { break }
            var child = left
            let right = left &+ 1
            if right < count && Order.precedes(base[right], base[left]) { child = right }
            guard Order.precedes(base[child], candidate) else { break }
            base[i] = base[child]
            i = child
        }
        base[i] = candidate
    }

    private mutating func grow() {
        let fresh = UnsafeMutablePointer<Candidate>.allocate(capacity: capacity * 2)
        fresh.initialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity *= 2
    }
}
