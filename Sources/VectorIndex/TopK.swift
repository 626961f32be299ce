import Collections

/// The `k` smallest candidates seen so far: a bounded max-heap (swift-collections `Heap`).
struct TopK {
    let k: Int
    private(set) var heap = Heap<Candidate>()

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(k + 1)
    }

    /// The distance a candidate must beat to enter, or +∞ while fewer than `k` are held.
    @inline(__always)
    var bound: Float { heap.count < k ? .infinity : heap.max!.distance }

    @inline(__always)
    mutating func offer(_ candidate: Candidate) {
        if heap.count < k {
            heap.insert(candidate)
        } else if candidate < heap.max! {
            heap.replaceMax(with: candidate)
        }
    }

    /// Candidates in increasing order.
    func sorted() -> [Candidate] {
        var copy = heap
        var out = [Candidate]()
        out.reserveCapacity(copy.count)
        while let next = copy.popMin() { out.append(next) }
        return out
    }
}
