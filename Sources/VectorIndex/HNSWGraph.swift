import Collections

/// Raw pointers into an `HNSWIndex`'s arenas, taken once per operation so that the hot loops
/// neither retain nor re-read class properties. Valid while the index's storage does not grow.
///
/// Link lists: level 0 of slot `s` starts at `level0 + s·(1 + 2M)`; level `l ≥ 1` starts at
/// `upper + upperOffsets[s] + (l − 1)·(1 + M)`. Each list is `[count, neighbour₀, neighbour₁, …]`.
struct HNSWGraph {
    let vectors: UnsafeMutablePointer<Float>
    let ids: UnsafeMutablePointer<UInt64>
    let levels: UnsafeMutablePointer<UInt8>
    let deleted: UnsafeMutablePointer<UInt8>
    let upperOffsets: UnsafeMutablePointer<UInt32>
    let level0: UnsafeMutablePointer<UInt32>
    let upper: UnsafeMutablePointer<UInt32>
    let dimension: Int
    let m: Int
    let kernel: DistanceKernel

    var level0Stride: Int { 1 &+ 2 &* m }
    var upperStride: Int { 1 &+ m }

    @inline(__always)
    func capacity(_ level: Int) -> Int { level == 0 ? 2 &* m : m }

    @inline(__always)
    func links(_ slot: Int, _ level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 { return level0 + slot &* level0Stride }
        let offset = Int(upperOffsets[slot]) &+ (level &- 1) &* upperStride
        return upper + offset
    }

    @inline(__always)
    func vector(_ slot: Int) -> UnsafeMutablePointer<Float> { vectors + slot &* dimension }

    @inline(__always)
    func distance(_ query: UnsafePointer<Float>, _ slot: Int) -> Float {
        kernel(query, vectors + slot &* dimension, dimension)
    }

    @inline(__always)
    func distance(_ a: Int, _ b: Int) -> Float {
        kernel(vectors + a &* dimension, vectors + b &* dimension, dimension)
    }

    /// Copies the neighbours of `slot` at `level` into `scratch`, under the node's stripe lock
    /// when `locks` is given (parallel build); returns how many there are.
    @inline(__always)
    func neighbours(_ slot: Int, _ level: Int, locks: StripedMutex?, into scratch: UnsafeMutablePointer<UInt32>) -> Int {
        let list = links(slot, level)
        if let locks {
            return locks.withLock(slot) {
                let n = Int(list[0])
                scratch.update(from: list + 1, count: n)
                return n
            }
        }
        let n = Int(list[0])
        scratch.update(from: list + 1, count: n)
        return n
    }

    /// Greedy walk at one upper level: moves to a closer neighbour until none is closer.
    func greedy(_ query: UnsafePointer<Float>, from start: Candidate, level: Int, locks: StripedMutex?, scratch: UnsafeMutablePointer<UInt32>) -> Candidate {
        var current = start
        var improved = true
        while improved {
            improved = false
            let n = neighbours(Int(current.slot), level, locks: locks, into: scratch)
            for i in 0..<n {
                let candidate = Int(scratch[i])
                let d = distance(query, candidate)
                if d < current.distance {
                    current = Candidate(distance: d, slot: UInt32(candidate))
                    improved = true
                }
            }
        }
        return current
    }

    /// Best-first search of one level with a dynamic list of size `ef` (HNSW's SEARCH-LAYER).
    /// Only slots passing `accepts` enter the result; others are still traversed. With a filter,
    /// the walk goes on until `ef` accepted results are found or the reachable graph is exhausted.
    func searchLayer(
        _ query: UnsafePointer<Float>, entry: Candidate, ef: Int, level: Int, locks: StripedMutex?,
        visited: VisitedSet, scratch: UnsafeMutablePointer<UInt32>, accepts: ((Int) -> Bool)?
    ) -> Heap<Candidate> {
        var candidates = Heap<Candidate>()
        var results = Heap<Candidate>()
        candidates.reserveCapacity(ef &* 2)
        results.reserveCapacity(ef &+ 1)
        _ = visited.insert(entry.slot)
        candidates.insert(entry)
        var bound = Float.infinity
        if accepts?(Int(entry.slot)) ?? true {
            results.insert(entry)
            bound = entry.distance
        }
        let filtering = accepts != nil
        while let current = candidates.popMin() {
            if current.distance > bound && (results.count >= ef || !filtering) { break }
            let n = neighbours(Int(current.slot), level, locks: locks, into: scratch)
            for i in 0..<n {
                let slot = scratch[i]
                guard visited.insert(slot) else { continue }
                let d = distance(query, Int(slot))
                if results.count < ef || d < bound {
                    candidates.insert(Candidate(distance: d, slot: slot))
                    if accepts?(Int(slot)) ?? true {
                        results.insert(Candidate(distance: d, slot: slot))
                        if results.count > ef { _ = results.removeMax() }
                        bound = results.max!.distance
                    }
                }
            }
        }
        return results
    }

    /// HNSW's neighbour-selection heuristic: walking `sorted` (by increasing distance to the base
    /// node), keep a candidate only if it is closer to the base than to every neighbour kept so
    /// far; stop at `limit`. Spreads links across directions instead of one dense cluster.
    func selectNeighbours(_ sorted: [Candidate], limit: Int) -> [Candidate] {
        if sorted.count <= limit { return sorted }
        var kept: [Candidate] = []
        kept.reserveCapacity(limit)
        for candidate in sorted {
            if kept.count >= limit { break }
            var good = true
            for chosen in kept where distance(Int(candidate.slot), Int(chosen.slot)) < candidate.distance {
                good = false
                break
            }
            if good { kept.append(candidate) }
        }
        return kept
    }
}
