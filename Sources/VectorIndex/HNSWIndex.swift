import Foundation

/// Approximate nearest-neighbour search on a Hierarchical Navigable Small World graph
/// (Malkov & Yashunin 2016) with the neighbour-selection heuristic.
///
/// Storage (hnswlib's layout, one arena per field, indexed by *slot*):
/// vectors `slots × dimension` `Float`; ids `UInt64`; top level and tombstone flag `UInt8`;
/// level-0 links with fixed stride `1 + 2M` (`[count, n₀ … n₂ₘ₋₁]`); upper-level links in one
/// more arena, stride `1 + M` per level, found through a per-slot `UInt32` offset. A node's level
/// is `⌊−ln(U)/ln(M)⌋` with `U` uniform in (0, 1), capped at 15.
///
/// Removal leaves a *tombstone*: the node stays in the graph for navigation but is never
/// returned, and its slot is reused by a later insert (keeping its level, which was drawn from the
/// same distribution). New nodes link only to live nodes, and a full link list drops its links
/// to tombstones before pruning, so dead links fade out as the graph is updated. When tombstones exceed `compactionThreshold` of the slots, the graph is
/// rebuilt from the live vectors (`compact()`), which callers may also run at any time.
///
/// Concurrency: searches take a read lock and run in parallel with each other. Writers are
/// serialised; a writer applies a call in chunks of `writeChunk` vectors, holding the write lock
/// for one chunk at a time, so searches interleave with a long `add` and see whole chunks only,
/// never a half-linked vector. Within a chunk, insertions run in parallel on all cores, each
/// node's link list guarded by a striped mutex (a thread holds one stripe at a time). Searches
/// never read links while a writer changes them (unlike hnswlib's lock-free reads).
public final class HNSWIndex: VectorIndex, IndexCore, @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Links per node on the upper levels; `2M` on level 0. Typical 8…48.
        public var m: Int
        /// Candidate list size while inserting; larger builds a better graph, slower.
        public var efConstruction: Int
        /// Default candidate list size while searching, when `SearchParameters.ef` is `nil`.
        public var efSearch: Int
        /// Seed of the level draws.
        public var seed: UInt64
        /// Fraction of tombstoned slots above which `remove` rebuilds the graph.
        public var compactionThreshold: Double

        public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 100, compactionThreshold: Double = 0.3) {
            self.m = m
            self.efConstruction = efConstruction
            self.efSearch = efSearch
            self.seed = seed
            self.compactionThreshold = compactionThreshold
        }
    }

    public let dimension: Int
    public let metric: Metric
    public let configuration: Configuration

    /// Vectors applied per write-lock acquisition by `add`/`upsert`.
    public static let writeChunk = 1024
    static let maximumLevel = 15

    let lock = ReadWriteLock()
    let writerLock = NSLock()
    let linkLocks = StripedMutex()
    let entryLock = NSLock()
    let searchBuffers: SearchBuffersPool

    var vectors = Arena<Float>()
    var ids = Arena<UInt64>()
    var levels = Arena<UInt8>()
    var deleted = Arena<UInt8>()
    var upperOffsets = Arena<UInt32>()
    var level0Links = Arena<UInt32>()
    var upperLinks = Arena<UInt32>()
    var slotOf: [UInt64: UInt32] = [:]
    var freeSlots: [UInt32] = []
    var entryPoint: Int = -1
    var maxLevel: Int = -1
    var random: SplitMix64

    public init(dimension: Int, metric: Metric = .l2, configuration: Configuration = Configuration()) throws(IndexError) {
        guard dimension >= 1 else {
            throw IndexError(.invalidParameter, "dimension is \(dimension); an index needs vectors of at least 1 float.")
        }
        guard (2...1024).contains(configuration.m) else {
            throw IndexError(.invalidParameter, "M is \(configuration.m); use 2…1024 (typically 16).")
        }
        guard configuration.efConstruction >= 1, configuration.efSearch >= 1 else {
            throw IndexError(.invalidParameter, "efConstruction and efSearch must be ≥ 1 (typically 200 and 64).")
        }
        guard configuration.compactionThreshold > 0, configuration.compactionThreshold <= 1 else {
            throw IndexError(.invalidParameter, "compactionThreshold is \(configuration.compactionThreshold); use a fraction in (0, 1].")
        }
        self.dimension = dimension
        self.metric = metric
        self.configuration = configuration
        searchBuffers = SearchBuffersPool(maximumLinks: 2 * configuration.m)
        random = SplitMix64(seed: configuration.seed)
    }

    var slotCount: Int { ids.count }

    public var count: Int { lock.reading { slotOf.count } }

    /// Number of tombstoned slots awaiting reuse or compaction.
    public var tombstoneCount: Int { lock.reading { freeSlots.count } }

    /// Vectors, ids, levels and flags, level-0 and upper links.
    public var storageBytes: Int {
        lock.reading {
            vectors.count * 4 + ids.count * 8 + levels.count + deleted.count + upperOffsets.count * 4
                + level0Links.count * 4 + upperLinks.count * 4
        }
    }

    public func contains(_ id: UInt64) -> Bool { lock.reading { slotOf[id] != nil } }

    public func vector(for id: UInt64) -> [Float]? {
        lock.reading {
            guard let slot = slotOf[id] else { return nil }
            return Array(UnsafeBufferPointer(start: vectors.base + Int(slot) * dimension, count: dimension))
        }
    }

    func graph() -> HNSWGraph {
        HNSWGraph(
            vectors: vectors.base, ids: ids.base, levels: levels.base, deleted: deleted.base,
            upperOffsets: upperOffsets.base, level0: level0Links.base, upper: upperLinks.base,
            dimension: dimension, m: configuration.m, kernel: metric.kernel)
    }

    // MARK: Writing

    public func add(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: false)
    }

    public func upsert(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: true)
    }

    func store(ids newIDs: [UInt64], validated input: [Float], replacing: Bool) throws(IndexError) {
        writerLock.lock()
        defer { writerLock.unlock() }
        if !replacing, let existing = lock.reading({ newIDs.first { slotOf[$0] != nil } }) {
            throw IndexError(.duplicateID, "id \(existing) is already in the index; use upsert to replace its vector.")
        }
        input.withUnsafeBufferPointer { source in
            for start in stride(from: 0, to: newIDs.count, by: Self.writeChunk) {
                let end = min(newIDs.count, start + Self.writeChunk)
                lock.writing {
                    if replacing { tombstone(newIDs[start..<end]) }
                    insertLocked(ids: newIDs[start..<end], vectors: source.baseAddress! + start * dimension)
                }
            }
        }
    }

    @discardableResult
    public func remove(ids doomed: [UInt64]) -> Int {
        writerLock.lock()
        defer { writerLock.unlock() }
        return lock.writing {
            let removed = tombstone(doomed[...])
            if slotCount >= 64 && Double(freeSlots.count) > configuration.compactionThreshold * Double(slotCount) {
                compactLocked()
            }
            return removed
        }
    }

    /// Rebuilds the graph from the live vectors only, dropping every tombstone. Holds the write
    /// lock for the whole rebuild.
    public func compact() {
        writerLock.lock()
        defer { writerLock.unlock() }
        lock.writing { compactLocked() }
    }

    @discardableResult
    private func tombstone(_ doomed: ArraySlice<UInt64>) -> Int {
        var removed = 0
        for id in doomed {
            guard let slot = slotOf.removeValue(forKey: id) else { continue }
            deleted[Int(slot)] = 1
            freeSlots.append(slot)
            removed += 1
        }
        return removed
    }

    private func compactLocked() {
        let liveSlots = (0..<slotCount).filter { deleted[$0] == 0 }
        var liveVectors = [Float]()
        liveVectors.reserveCapacity(liveSlots.count * dimension)
        for slot in liveSlots {
            liveVectors.append(contentsOf: UnsafeBufferPointer(start: vectors.base + slot * dimension, count: dimension))
        }
        let liveIDs = liveSlots.map { ids[$0] }
        vectors = Arena(capacity: liveVectors.count)
        ids = Arena(capacity: liveIDs.count)
        levels = Arena(capacity: liveIDs.count)
        deleted = Arena(capacity: liveIDs.count)
        upperOffsets = Arena(capacity: liveIDs.count)
        level0Links = Arena(capacity: liveIDs.count * (1 + 2 * configuration.m))
        upperLinks = Arena()
        slotOf = [:]
        freeSlots = []
        entryPoint = -1
        maxLevel = -1
        liveVectors.withUnsafeBufferPointer { source in
            insertLocked(ids: liveIDs[...], vectors: source.baseAddress!)
        }
    }

    /// Copies mapped arenas to owned memory before links are written in place.
    private func makeOwned() {
        _ = vectors.mutableBase
        _ = ids.mutableBase
        _ = levels.mutableBase
        _ = deleted.mutableBase
        _ = upperOffsets.mutableBase
        _ = level0Links.mutableBase
        _ = upperLinks.mutableBase
    }

    private func drawLevel() -> Int {
        let level = Int(-log(random.nextUnit()) / log(Double(configuration.m)))
        return min(level, Self.maximumLevel)
    }

    /// Places the vectors in slots (reusing tombstones), then links them in parallel.
    /// Caller holds the write lock; `newIDs` are not stored. A reused slot keeps its old links
    /// until its own insertion rewrites them: searches that reach it before then pass through
    /// instead of hitting a node without links (which strands parallel inserts in islands).
    private func insertLocked(ids newIDs: ArraySlice<UInt64>, vectors source: UnsafePointer<Float>) {
        let m = configuration.m
        let level0Stride = 1 + 2 * m
        var placed: [Int] = []
        placed.reserveCapacity(newIDs.count)
        var growth = 0
        var spareEntry: UInt32?
        for _ in newIDs {
            if let slot = freeSlots.popLast() {
                if Int(slot) == entryPoint {
                    spareEntry = slot
                    if let other = freeSlots.popLast() { placed.append(Int(other)) } else { placed.append(-1); growth += 1 }
                } else {
                    placed.append(Int(slot))
                }
            } else {
                placed.append(-1)
                growth += 1
            }
        }
        if let spareEntry { freeSlots.append(spareEntry) }
        let total = slotCount + growth
        vectors.reserve(total * dimension)
        ids.reserve(total)
        levels.reserve(total)
        deleted.reserve(total)
        upperOffsets.reserve(total)
        level0Links.reserve(total * level0Stride)
        for (row, id) in zip(newIDs.indices, newIDs) {
            let i = row - newIDs.startIndex
            let vector = UnsafeBufferPointer(start: source + i * dimension, count: dimension)
            var slot = placed[i]
            if slot < 0 {
                slot = slotCount
                placed[i] = slot
                let level = drawLevel()
                vectors.append(contentsOf: vector)
                ids.append(id)
                levels.append(UInt8(level))
                deleted.append(0)
                upperOffsets.append(UInt32(upperLinks.count))
                level0Links.append(repeating: 0, count: level0Stride)
                upperLinks.append(repeating: 0, count: level * (1 + m))
            } else {
                (vectors.mutableBase + slot * dimension).update(from: vector.baseAddress!, count: dimension)
                ids[slot] = id
                deleted[slot] = 0
            }
            slotOf[id] = UInt32(slot)
        }
        makeOwned()

        var first = 0
        if entryPoint < 0, let slot = placed.first {
            entryPoint = slot
            maxLevel = Int(levels[slot])
            first = 1
        }
        let graph = graph()
        let work = Array(placed[first...])
        let locks: StripedMutex? = work.count >= 32 ? linkLocks : nil
        if locks == nil {
            for slot in work { link(slot, graph: graph, locks: nil) }
        } else {
            work.withUnsafeBufferPointer { work in
                parallelRanges(count: work.count, minimumPerChunk: 8) { range in
                    for i in range { self.link(work[i], graph: graph, locks: locks) }
                }
            }
        }
    }

    /// Connects `slot` into the graph (HNSW's INSERT). Safe to run for several slots at once
    /// when `locks` is given: the entry point is read and updated under `entryLock`, which a node
    /// above the current top level holds for its whole insertion.
    private func link(_ slot: Int, graph: HNSWGraph, locks: StripedMutex?) {
        let query = UnsafePointer(graph.vector(slot))
        let level = Int(graph.levels[slot])
        entryLock.lock()
        let top = maxLevel
        let start = entryPoint
        let raisesTop = level > top
        if !raisesTop { entryLock.unlock() }
        defer {
            if raisesTop {
                entryPoint = slot
                maxLevel = level
                entryLock.unlock()
            }
        }
        guard start != slot else { return }
        searchBuffers.withBuffers(slots: slotCount) { buffers in
            var entry = Candidate(distance: graph.distance(query, start), slot: UInt32(start))
            if top > level {
                for l in stride(from: top, to: level, by: -1) {
                    entry = graph.greedy(query, from: entry, level: l, locks: locks, buffers: buffers)
                }
            }
            for l in stride(from: min(level, top), through: 0, by: -1) {
                buffers.visited.reset(slots: slotCount)
                graph.searchLayer(
                    query, entry: entry, ef: configuration.efConstruction, level: l, locks: locks, buffers: buffers,
                    accepts: nil)
                let found = buffers.results
                var sorted: [Candidate] = []
                sorted.reserveCapacity(found.count)
                for i in 0..<found.count where Int(found.base[i].slot) != slot { sorted.append(found.base[i]) }
                guard !sorted.isEmpty else { continue }
                sorted.sort()
                let live = sorted.filter { graph.deleted[Int($0.slot)] == 0 }
                let chosen = graph.selectNeighbours(live.isEmpty ? sorted : live, limit: configuration.m, base: slot)
                setLinks(slot, level: l, to: chosen.map(\.slot), graph: graph, locks: locks)
                for neighbour in chosen {
                    connect(Int(neighbour.slot), to: slot, distance: neighbour.distance, level: l, graph: graph, locks: locks)
                }
                entry = sorted[0]
            }
        }
    }

    private func setLinks(_ slot: Int, level: Int, to neighbours: [UInt32], graph: HNSWGraph, locks: StripedMutex?) {
        let write = {
            let list = graph.links(slot, level)
            list[0] = UInt32(neighbours.count)
            for (i, n) in neighbours.enumerated() { list[1 + i] = n }
        }
        if let locks { locks.withLock(slot, write) } else { write() }
    }

    /// Adds `newcomer` to `node`'s list at `level`; a full list drops its links to tombstones,
    /// then is re-pruned by the heuristic.
    private func connect(_ node: Int, to newcomer: Int, distance: Float, level: Int, graph: HNSWGraph, locks: StripedMutex?) {
        let update = {
            let list = graph.links(node, level)
            let n = Int(list[0])
            for i in 0..<n where Int(list[1 + i]) == newcomer { return }
            let capacity = graph.capacity(level)
            if n < capacity {
                list[1 + n] = UInt32(newcomer)
                list[0] = UInt32(n + 1)
                return
            }
            var pool = [Candidate(distance: distance, slot: UInt32(newcomer))]
            pool.reserveCapacity(n + 1)
            for i in 0..<n where graph.deleted[Int(list[1 + i])] == 0 {
                let other = Int(list[1 + i])
                pool.append(Candidate(distance: graph.distance(node, other), slot: UInt32(other)))
            }
            pool.sort()
            let kept = graph.selectNeighbours(pool, limit: capacity, base: node)
            list[0] = UInt32(kept.count)
            for (i, c) in kept.enumerated() { list[1 + i] = c.slot }
        }
        if let locks { locks.withLock(node, update) } else { update() }
    }
}
