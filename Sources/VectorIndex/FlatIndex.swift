import Foundation

/// Exact nearest-neighbour search by scanning every vector: the product's brute-force index and
/// the oracle every approximate index is tested against.
///
/// Layout: vectors in one row-major `Float` arena (`count × dimension`, slot order), ids in a
/// parallel `UInt64` arena, and an id → slot hash map. Removal moves the last row into the hole,
/// so slots stay dense; ids never change.
///
/// Concurrency: readers share a read lock; `add`/`upsert`/`remove` take the write lock for the
/// whole call. Batch search computes inner products with `cblas_sgemm` (OpenBLAS may use its own
/// threads for that call), then selects the top-k of each query in parallel.
public final class FlatIndex: VectorIndex, IndexCore, @unchecked Sendable {
    public let dimension: Int
    public let metric: Metric
    let lock = ReadWriteLock()
    var vectors: Arena<Float>
    var ids: Arena<UInt64>
    var slotOf: [UInt64: Int]

    public init(dimension: Int, metric: Metric = .l2) throws(IndexError) {
        guard dimension >= 1 else {
            throw IndexError(.invalidParameter, "dimension is \(dimension); an index needs vectors of at least 1 float.")
        }
        self.dimension = dimension
        self.metric = metric
        vectors = Arena()
        ids = Arena()
        slotOf = [:]
    }

    init(dimension: Int, metric: Metric, vectors: Arena<Float>, ids: Arena<UInt64>, slotOf: [UInt64: Int]) {
        self.dimension = dimension
        self.metric = metric
        self.vectors = vectors
        self.ids = ids
        self.slotOf = slotOf
    }

    public var count: Int { lock.reading { ids.count } }

    public var storageBytes: Int { lock.reading { vectors.count * 4 + ids.count * 8 } }

    public func contains(_ id: UInt64) -> Bool { lock.reading { slotOf[id] != nil } }

    public func vector(for id: UInt64) -> [Float]? {
        lock.reading {
            guard let slot = slotOf[id] else { return nil }
            return Array(UnsafeBufferPointer(start: vectors.base + slot * dimension, count: dimension))
        }
    }

    public func add(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: false)
    }

    public func upsert(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: true)
    }

    func store(ids newIDs: [UInt64], validated input: [Float], replacing: Bool) throws(IndexError) {
        try lock.writing { () throws(IndexError) in
            if !replacing, let existing = newIDs.first(where: { slotOf[$0] != nil }) {
                throw IndexError(.duplicateID, "id \(existing) is already in the index; use upsert to replace its vector.")
            }
            vectors.reserve(vectors.count + input.count)
            input.withUnsafeBufferPointer { source in
                for (row, id) in newIDs.enumerated() {
                    let values = UnsafeBufferPointer(rebasing: source[row * dimension..<(row + 1) * dimension])
                    if let slot = slotOf[id] {
                        (vectors.mutableBase + slot * dimension).update(from: values.baseAddress!, count: dimension)
                    } else {
                        slotOf[id] = ids.count
                        ids.append(id)
                        vectors.append(contentsOf: values)
                    }
                }
            }
        }
    }

    @discardableResult
    public func remove(ids doomed: [UInt64]) -> Int {
        lock.writing {
            var removed = 0
            for id in doomed {
                guard let slot = slotOf.removeValue(forKey: id) else { continue }
                let last = ids.count - 1
                if slot != last {
                    let movedID = ids[last]
                    ids[slot] = movedID
                    vectors.move(from: last * dimension, to: slot * dimension, count: dimension)
                    slotOf[movedID] = slot
                }
                ids.removeLast(1)
                vectors.removeLast(dimension)
                removed += 1
            }
            return removed
        }
    }

    public func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> [SearchResult] {
        try searchValidated(query, parameters)
    }

    public func search(batch queries: [Float], parameters: SearchParameters) throws(IndexError) -> [[SearchResult]] {
        try batchSearchValidated(queries, parameters)
    }

    /// Four or more unfiltered queries over 256 or more vectors: one GEMM for all distances.
    func batchSearchLocked(_ queries: [Float], _ p: SearchParameters) -> [[SearchResult]]? {
        guard p.filter == nil && queries.count / dimension >= 4 && ids.count >= 256 else { return nil }
        return batchSearchLocked(queries, k: p.k)
    }

    /// Single-query scan; caller holds the read lock.
    func searchLocked(_ query: UnsafePointer<Float>, _ p: SearchParameters) -> [SearchResult] {
        let top: TopK
        if let filter = p.filter {
            top = ExactScan.nearest(
                to: query, in: vectors.base, dimension: dimension, kernel: metric.kernel, slots: 0..<ids.count, k: p.k
            ) { filter.accepts(ids[$0]) }
        } else {
            top = ExactScan.nearest(
                to: query, in: vectors.base, dimension: dimension, kernel: metric.kernel, slots: 0..<ids.count, k: p.k
            ) { _ in true }
        }
        return top.sorted().map { SearchResult(id: ids[Int($0.slot)], distance: metric.reported($0.distance)) }
    }

    /// All-pairs distances by blocks of `cblas_sgemm`: `‖x‖² − 2·q·x + ‖q‖²` for L2, `−q·x` otherwise.
    private func batchSearchLocked(_ queries: [Float], k: Int) -> [[SearchResult]] {
        let nq = queries.count / dimension
        let n = ids.count
        let rowBlock = 4096
        let queryBlock = 256
        var tops = [TopK](repeating: TopK(k: k), count: nq)
        var products = [Float](repeating: 0, count: queryBlock * rowBlock)
        var norms = [Float](repeating: 0, count: rowBlock)
        var queryNorms = [Float](repeating: 0, count: nq)
        let isL2 = metric == .l2
        queries.withUnsafeBufferPointer { q in
            if isL2 { queryNorms.withUnsafeMutableBufferPointer { squaredNorms(q.baseAddress!, rows: nq, dimension: dimension, into: $0.baseAddress!) } }
            for rowStart in stride(from: 0, to: n, by: rowBlock) {
                let rows = min(rowBlock, n - rowStart)
                let base = vectors.base + rowStart * dimension
                if isL2 { norms.withUnsafeMutableBufferPointer { squaredNorms(base, rows: rows, dimension: dimension, into: $0.baseAddress!) } }
                for queryStart in stride(from: 0, to: nq, by: queryBlock) {
                    let count = min(queryBlock, nq - queryStart)
                    products.withUnsafeMutableBufferPointer { out in
                        innerProducts(
                            queries: q.baseAddress! + queryStart * dimension, count: count, base: base, rows: rows,
                            dimension: dimension, into: out.baseAddress!)
                    }
                    products.withUnsafeBufferPointer { dots in
                        norms.withUnsafeBufferPointer { xn in
                            tops.withUnsafeMutableBufferPointer { tops in
                                let (dots, xn, tops) = (dots, xn, tops)
                                parallelRanges(count: count, minimumPerChunk: 8) { range in
                                    for i in range {
                                        let row = dots.baseAddress! + i * rows
                                        var top = tops[queryStart + i]
                                        let qn = isL2 ? queryNorms[queryStart + i] : 0
                                        for j in 0..<rows {
                                            let d = isL2 ? xn[j] - 2 * row[j] + qn : -row[j]
                                            if d <= top.bound { top.offer(Candidate(distance: max(isL2 ? 0 : -.infinity, d), slot: UInt32(rowStart + j))) }
                                        }
                                        tops[queryStart + i] = top
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return tops.map { top in top.sorted().map { SearchResult(id: ids[Int($0.slot)], distance: metric.reported($0.distance)) } }
    }
}
