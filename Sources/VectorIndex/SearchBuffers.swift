import Foundation

/// The working memory of one graph search or insertion, reused from query to query through a
/// `SearchBuffersPool`, so that a search allocates nothing in its loop: the visited marks, the
/// queue of nodes to expand (`candidates`), the bounded result list (`results`), and room for
/// one node's neighbour slots (`neighbours`) and their distances (`distances`), `2M` each.
final class SearchBuffers: @unchecked Sendable {
    let visited: VisitedSet
    var candidates: CandidateHeap<ClosestFirst>
    var results: CandidateHeap<FarthestFirst>
    let neighbours: UnsafeMutablePointer<UInt32>
    let distances: UnsafeMutablePointer<Float>

    init(slots: Int, maximumLinks: Int) {
        visited = VisitedSet(capacity: slots)
        candidates = CandidateHeap(capacity: 256)
        results = CandidateHeap(capacity: 256)
        neighbours = .allocate(capacity: maximumLinks)
        distances = .allocate(capacity: maximumLinks)
    }

    deinit {
        candidates.deallocate()
        results.deallocate()
        neighbours.deallocate()
        distances.deallocate()
    }
}

/// A pool of `SearchBuffers` so that concurrent searches each get their own without allocating.
/// All buffers of a pool have room for the same number of links per node.
final class SearchBuffersPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SearchBuffers] = []
    private let maximumLinks: Int

    init(maximumLinks: Int) {
        self.maximumLinks = maximumLinks
    }

    /// Runs `body` with buffers whose visited set covers `slots` slots and starts empty.
    func withBuffers<T>(slots: Int, _ body: (SearchBuffers) throws -> T) rethrows -> T {
        lock.lock()
        let buffers = free.popLast() ?? SearchBuffers(slots: slots, maximumLinks: maximumLinks)
        lock.unlock()
        buffers.visited.reset(slots: slots)
        defer {
            lock.lock()
            free.append(buffers)
            lock.unlock()
        }
        return try body(buffers)
    }
}
