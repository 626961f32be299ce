@testable import VectorIndex

/// Data sets and indexes shared by several suites, built once per test run (debug builds are
/// slow; each index is built only once). Nothing in a suite mutates these shared indexes.
enum Fixtures {
    static let n = 3000
    static let queryCount = 100
    static let dimension = 32

    struct DataSet: Sendable {
        let dimension: Int
        let data: [Float]
        let queries: [Float]
        let ids: [UInt64]

        func query(_ i: Int) -> [Float] { TestData.row(queries, i, dimension) }
        func vector(_ i: Int) -> [Float] { TestData.row(data, i, dimension) }
    }

    /// 3,000 points of a 16-component Gaussian mixture in 32 dimensions (σ = 0.15); queries
    /// drawn from the same mixture. Ids are sparse (3i + 1) so that slot ≠ id.
    static let clustered = DataSet(
        dimension: dimension, data: TestData.clustered(count: n, dimension: dimension, clusters: 16, seed: 21),
        queries: TestData.clustered(count: queryCount, dimension: dimension, clusters: 16, seed: 22),
        ids: (0..<n).map { UInt64($0) * 3 + 1 })

    /// 3,000 points uniform in [0, 1]^32.
    static let uniform = DataSet(
        dimension: dimension, data: TestData.uniform(count: n, dimension: dimension, seed: 31),
        queries: TestData.uniform(count: queryCount, dimension: dimension, seed: 32),
        ids: (0..<n).map { UInt64($0) * 3 + 1 })

    static func flat(_ set: DataSet, metric: Metric = .l2) -> FlatIndex {
        let index = try! FlatIndex(dimension: set.dimension, metric: metric)
        try! index.add(ids: set.ids, vectors: set.data)
        return index
    }

    /// Built sequentially, so the graph is the same on every run and machine: the vectors are
    /// added 16 at a time, below the batch size from which `HNSWIndex.add` links in parallel (and
    /// as the service adds them, a few at a time). `parallel`: all at once, linked on every core,
    /// a graph that depends on the threads' interleaving.
    static func hnsw(_ set: DataSet, metric: Metric = .l2, parallel: Bool = false) -> HNSWIndex {
        let index = try! HNSWIndex(dimension: set.dimension, metric: metric, configuration: .init(m: 16, efConstruction: 64))
        if parallel {
            try! index.add(ids: set.ids, vectors: set.data)
        } else {
            for start in stride(from: 0, to: set.ids.count, by: 16) {
                let end = min(set.ids.count, start + 16)
                try! index.add(ids: Array(set.ids[start..<end]), vectors: Array(set.data[(start * set.dimension)..<(end * set.dimension)]))
            }
        }
        return index
    }

    /// nlist = 55 ≈ √3000.
    static func ivf(_ set: DataSet, metric: Metric = .l2) -> IVFIndex {
        let index = try! IVFIndex(dimension: set.dimension, metric: metric, configuration: .init(nlist: 55, nprobe: 10))
        try! index.train(on: set.data)
        try! index.add(ids: set.ids, vectors: set.data)
        return index
    }

    static let clusteredFlat = flat(clustered)
    static let clusteredHNSW = hnsw(clustered)
    static let clusteredIVF = ivf(clustered)

    static func exact(_ flat: FlatIndex, _ set: DataSet, k: Int = 10, filter: IDFilter? = nil) -> [[SearchResult]] {
        (0..<queryCount).map { try! flat.search(set.query($0), parameters: SearchParameters(k: k, filter: filter)) }
    }

    /// Whether two result lists hold the same ids in the same order with distances equal up to
    /// `1e-5 · max(1, |d|)`: kernels that sum in a different order (one row or four rows at a
    /// time) round differently in the last bits, so bitwise equality would test the summation
    /// order rather than the search.
    static func sameResults(_ a: [[SearchResult]], _ b: [[SearchResult]]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) {
                let tolerance = 1e-5 * max(1, abs(q.distance))
                if p.id != q.id || abs(p.distance - q.distance) > tolerance { return false }
            }
        }
        return true
    }

    static func results(_ index: some VectorIndex, _ set: DataSet, _ parameters: SearchParameters) throws -> [[SearchResult]] {
        try (0..<queryCount).map { try index.search(set.query($0), parameters: parameters) }
    }
}
