import CInstructionSet

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

    /// Distances from `query` to the `count` slots in `slots`, four rows at a time so that their
    /// cache misses overlap (a last group of one to three repeats its final row). The first two
    /// cache lines of every row are requested up front: the rows are scattered, and the hardware
    /// prefetcher follows a row only once it has been entered, so later groups would otherwise
    /// start each row with a miss.
    @inline(__always)
    func distances(_ query: UnsafePointer<Float>, _ slots: UnsafePointer<UInt32>, _ count: Int, into out: UnsafeMutablePointer<Float>) {
        for j in 0..<count {
            let row = UnsafeRawPointer(vector(Int(slots[j])))
            colecionador_prefetch(row)
            colecionador_prefetch(row + 64)
        }
        var i = 0
        while i < count {
            let last = count &- 1
            let r0 = UnsafePointer(vector(Int(slots[i])))
            let r1 = UnsafePointer(vector(Int(slots[min(i &+ 1, last)])))
            let r2 = UnsafePointer(vector(Int(slots[min(i &+ 2, last)])))
            let r3 = UnsafePointer(vector(Int(slots[min(i &+ 3, last)])))
            let four = kernel.four(query, (r0, r1, r2, r3), dimension)
            let available = min(4, count &- i)
            for lane in 0..<available { out[i &+ lane] = four[lane] }
            i &+= 4
        }
    }

    /// Greedy walk at one upper level: moves to the closest neighbour while it is closer.
    func greedy(_ query: UnsafePointer<Float>, from start: Candidate, level: Int, locks: StripedMutex?, buffers: SearchBuffers) -> Candidate {
        let slots = buffers.neighbours
        let distances = buffers.distances
        var current = start
        var improved = true
        while improved {
            improved = false
            let n = neighbours(Int(current.slot), level, locks: locks, into: slots)
            self.distances(query, slots, n, into: distances)
            for i in 0..<n where distances[i] < current.distance {
                current = Candidate(distance: distances[i], slot: slots[i])
                improved = true
            }
        }
        return current
    }

    /// Best-first search of one level with a dynamic list of size `ef` (HNSW's SEARCH-LAYER);
    /// leaves the result list, unordered, in `buffers.results`. Each expanded node's unvisited
    /// neighbours are gathered first, then their distances computed four at a time.
    /// Only slots passing `accepts` enter the result; others are still traversed. With a filter,
    /// the walk goes on until `ef` accepted results are found or the reachable graph is exhausted.
    func searchLayer(
        _ query: UnsafePointer<Float>, entry: Candidate, ef: Int, level: Int, locks: StripedMutex?,
        buffers: SearchBuffers, accepts: ((Int) -> Bool)?
    ) {
        let visited = buffers.visited
        let slots = buffers.neighbours
        let distances = buffers.distances
        var candidates = buffers.candidates
        var results = buffers.results
        candidates.removeAll()
        results.removeAll()
        defer {
            buffers.candidates = candidates
            buffers.results = results
        }
        _ = visited.insert(entry.slot)
        candidates.push(entry)
        var bound = Float.infinity
        if accepts?(Int(entry.slot)) ?? true {
            results.push(entry)
            bound = entry.distance
        }
        let filtering = accepts != nil
        while !candidates.isEmpty {
            let current = candidates.pop()
            if current.distance > bound && (results.count >= ef || !filtering) { break }
            let n = neighbours(Int(current.slot), level, locks: locks, into: slots)
            var fresh = 0
            for i in 0..<n where visited.insert(slots[i]) {
                slots[fresh] = slots[i]
                fresh &+= 1
            }
            self.distances(query, slots, fresh, into: distances)
            for i in 0..<fresh {
                let d = distances[i]
                guard results.count < ef || d < bound else { continue }
                let candidate = Candidate(distance: d, slot: slots[i])
                candidates.push(candidate)
                if accepts?(Int(candidate.slot)) ?? true {
                    if results.count < ef { results.push(candidate) } else { results.replaceTop(candidate) }
                    bound = results.top.distance
                }
            }
        }
    }

    /// HNSW's neighbour-selection heuristic for the links of `base`: walking `sorted` (by
    /// increasing distance to the base), keep a candidate only if it is closer to the base than
    /// to every neighbour kept so far; stop at `limit`. Spreads links across directions instead
    /// of one dense cluster.
    ///
    /// Copies of the base (the same vector, float for float) are ours to handle; the paper's rule
    /// breaks on them. Every copy is at distance 0 from the base and from the copies kept before
    /// it, `0 < 0` is false, so a node among many identical vectors kept only copies and dropped
    /// every other link: a vector added later, whose nearest stored vectors were those copies, got
    /// no incoming link and was never found again (`DuplicateVectorTests`). So one copy is kept
    /// like any neighbour and hides nothing (it lies where the base does); further copies only
    /// fill the room the heuristic leaves, which keeps the copies reachable from one another.
    /// Without identical vectors the result is the paper's.
    func selectNeighbours(_ sorted: [Candidate], limit: Int, base: Int) -> [Candidate] {
        if sorted.count <= limit { return sorted }
        var kept: [Candidate] = []
        kept.reserveCapacity(limit)
        var keptCopy: UInt32?
        var spareCopies: [Candidate] = []
        for candidate in sorted {
            if kept.count >= limit { break }
            let slot = Int(candidate.slot)
            if sameVector(slot, base) {
                if keptCopy == nil {
                    keptCopy = candidate.slot
                    kept.append(candidate)
                } else {
                    spareCopies.append(candidate)
                }
                continue
            }
            var good = true
            for chosen in kept where chosen.slot != keptCopy && distance(slot, Int(chosen.slot)) < candidate.distance {
                good = false
                break
            }
            if good { kept.append(candidate) }
        }
        for copy in spareCopies where kept.count < limit { kept.append(copy) }
        return kept
    }

    /// Whether two slots hold the same vector, float for float (stops at the first difference,
    /// which for distinct vectors is almost always the first float).
    @inline(__always)
    func sameVector(_ a: Int, _ b: Int) -> Bool {
        let x = vector(a)
        let y = vector(b)
        var i = 0
        while i < dimension {
            if x[i] != y[i] { return false }
            i &+= 1
        }
        return true
    }
}
