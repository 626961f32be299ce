import Testing
@testable import VectorIndex

/// `CandidateHeap` against sorting: popping everything must give the distances in sorted order
/// (ascending for `ClosestFirst`, descending for `FarthestFirst`), across growth past the initial
/// capacity, with ties, and with `replaceTop` keeping the `ef` smallest as a bounded result list.
@Suite struct CandidateHeapTests {
    private func distances(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        // Coarse values so that ties occur.
        return (0..<count).map { _ in Float(Int(random.nextUnit() * 50)) }
    }

    @Test func closestFirstPopsInAscendingOrder() {
        let values = distances(1000, seed: 3)
        var heap = CandidateHeap<ClosestFirst>(capacity: 4)
        defer { heap.deallocate() }
        for (i, d) in values.enumerated() { heap.push(Candidate(distance: d, slot: UInt32(i))) }
        #expect(heap.count == values.count)
        var popped: [Float] = []
        var slots = Set<UInt32>()
        while !heap.isEmpty {
            let c = heap.pop()
            popped.append(c.distance)
            slots.insert(c.slot)
            #expect(values[Int(c.slot)] == c.distance)
        }
        #expect(popped == values.sorted())
        #expect(slots.count == values.count)
    }

    @Test func farthestFirstPopsInDescendingOrder() {
        let values = distances(300, seed: 5)
        var heap = CandidateHeap<FarthestFirst>(capacity: 1)
        defer { heap.deallocate() }
        for (i, d) in values.enumerated() { heap.push(Candidate(distance: d, slot: UInt32(i))) }
        var popped: [Float] = []
        while !heap.isEmpty { popped.append(heap.pop().distance) }
        #expect(popped == values.sorted(by: >))
    }

    @Test func replaceTopKeepsTheSmallest() {
        let values = distances(2000, seed: 9)
        let ef = 37
        var heap = CandidateHeap<FarthestFirst>(capacity: 16)
        defer { heap.deallocate() }
        for (i, d) in values.enumerated() {
            let c = Candidate(distance: d, slot: UInt32(i))
            if heap.count < ef {
                heap.push(c)
            } else if d < heap.top.distance {
                heap.replaceTop(c)
            }
        }
        var kept: [Float] = []
        while !heap.isEmpty { kept.append(heap.pop().distance) }
        #expect(kept.reversed() == Array(values.sorted().prefix(ef)))
    }

    @Test func removeAllEmptiesForReuse() {
        var heap = CandidateHeap<ClosestFirst>(capacity: 2)
        defer { heap.deallocate() }
        for i in 0..<40 { heap.push(Candidate(distance: Float(40 - i), slot: UInt32(i))) }
        heap.removeAll()
        #expect(heap.isEmpty)
        heap.push(Candidate(distance: 7, slot: 1))
        heap.push(Candidate(distance: 3, slot: 2))
        #expect(heap.pop().slot == 2)
        #expect(heap.pop().slot == 1)
        #expect(heap.isEmpty)
    }
}
