import Testing
@testable import VectorIndex

/// Recall@10 of the approximate indexes against `FlatIndex` (the exact oracle, itself checked
/// against a `Double` brute force in `FlatIndexTests`), on seeded data.
/// Clustered: 6,000 points of a 24-component Gaussian mixture in 48 dimensions (σ = 0.15);
/// uniform: 6,000 points in [0, 1]^32. 200 held-out queries from the same distribution.
@Suite struct RecallTests {
    static let n = 6000
    static let queryCount = 200

    struct DataSet: Sendable {
        let dimension: Int
        let data: [Float]
        let queries: [Float]
        var ids: [UInt64] { (0..<RecallTests.n).map { UInt64($0) * 3 + 1 } }
    }

    static let clustered = DataSet(
        dimension: 48, data: TestData.clustered(count: n, dimension: 48, clusters: 24, seed: 21),
        queries: TestData.clustered(count: queryCount, dimension: 48, clusters: 24, seed: 22))
    static let uniform = DataSet(
        dimension: 32, data: TestData.uniform(count: n, dimension: 32, seed: 31),
        queries: TestData.uniform(count: queryCount, dimension: 32, seed: 32))

    static func exact(_ set: DataSet, metric: Metric = .l2) throws -> [[SearchResult]] {
        let flat = try FlatIndex(dimension: set.dimension, metric: metric)
        try flat.add(ids: set.ids, vectors: set.data)
        return try (0..<queryCount).map { try flat.search(TestData.row(set.queries, $0, set.dimension), k: 10) }
    }

    static func approximate(_ index: some VectorIndex, _ set: DataSet, _ parameters: SearchParameters) throws -> [[SearchResult]] {
        try (0..<queryCount).map { try index.search(TestData.row(set.queries, $0, set.dimension), parameters: parameters) }
    }

    @Test func hnswClusteredRecallAtLeast095() throws {
        let set = Self.clustered
        let index = try HNSWIndex(dimension: set.dimension, configuration: .init(m: 16, efConstruction: 100))
        try index.add(ids: set.ids, vectors: set.data)
        let recall = TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10, ef: 64)), try Self.exact(set))
        #expect(recall >= 0.95, "HNSW clustered recall@10 \(recall)")
    }

    @Test func hnswUniformRecallAtLeast090() throws {
        let set = Self.uniform
        let index = try HNSWIndex(dimension: set.dimension, configuration: .init(m: 16, efConstruction: 100))
        try index.add(ids: set.ids, vectors: set.data)
        let recall = TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10, ef: 64)), try Self.exact(set))
        #expect(recall >= 0.90, "HNSW uniform recall@10 \(recall)")
    }

    @Test(arguments: [Metric.innerProduct, .cosine])
    func hnswOtherMetricsRecall(metric: Metric) throws {
        let set = Self.clustered
        let index = try HNSWIndex(dimension: set.dimension, metric: metric, configuration: .init(m: 16, efConstruction: 100))
        try index.add(ids: set.ids, vectors: set.data)
        let recall = TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10, ef: 64)), try Self.exact(set, metric: metric))
        #expect(recall >= 0.90, "HNSW \(metric) recall@10 \(recall)")
    }

    @Test func ivfClusteredRecallAtLeast090() throws {
        let set = Self.clustered
        let index = try IVFIndex(dimension: set.dimension, configuration: .init(nlist: 77, nprobe: 10))
        #expect(!index.isTrained)
        try index.train(on: set.data)
        #expect(index.isTrained)
        try index.add(ids: set.ids, vectors: set.data)
        let recall = TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10)), try Self.exact(set))
        #expect(recall >= 0.90, "IVF clustered recall@10 \(recall)")
        let all = TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10, nprobe: 77)), try Self.exact(set))
        #expect(all == 1, "IVF scanning every list must be exact, got \(all)")
    }

    @Test func ivfUniformRecallGrowsWithNprobe() throws {
        let set = Self.uniform
        let index = try IVFIndex(dimension: set.dimension, configuration: .init(nlist: 77))
        try index.train(on: set.data)
        try index.add(ids: set.ids, vectors: set.data)
        let exact = try Self.exact(set)
        let recalls = try [1, 10, 40, 77].map { TestData.recall(try Self.approximate(index, set, SearchParameters(k: 10, nprobe: $0)), exact) }
        #expect(zip(recalls, recalls.dropFirst()).allSatisfy { $0 <= $1 }, "recalls \(recalls)")
        #expect(recalls.last == 1)
    }

    @Test func batchSearchMatchesSingleSearch() throws {
        let set = Self.clustered
        let index = try HNSWIndex(dimension: set.dimension, configuration: .init(m: 12, efConstruction: 60))
        try index.add(ids: set.ids, vectors: set.data)
        let parameters = SearchParameters(k: 10, ef: 40)
        let batch = try index.search(batch: set.queries, parameters: parameters)
        #expect(batch == (try Self.approximate(index, set, parameters)))
    }
}
