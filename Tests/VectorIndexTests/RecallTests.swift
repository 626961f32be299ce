import Testing
@testable import VectorIndex

/// Recall@10 of the approximate indexes against `FlatIndex` (the exact oracle, itself checked
/// against a `Double` brute force in `FlatIndexTests`) on the seeded sets of `Fixtures`. HNSW
/// recall is asserted on graphs built sequentially (deterministic); a graph linked in parallel is
/// compared against its sequential twin.
@Suite struct RecallTests {
    @Test func hnswClusteredRecallAtLeast095() throws {
        let set = Fixtures.clustered
        let recall = TestData.recall(
            try Fixtures.results(Fixtures.clusteredHNSW, set, SearchParameters(k: 10, ef: 64)),
            Fixtures.exact(Fixtures.clusteredFlat, set))
        #expect(recall >= 0.95, "HNSW M=16 ef=64 clustered recall@10 \(recall)")
    }

    /// The parallel build (all vectors in one `add`, linked on every core) finds what the
    /// sequential one finds, within 0.02 of its recall.
    @Test func parallelBuildMatchesSequentialRecall() throws {
        for set in [Fixtures.clustered, Fixtures.uniform] {
            let exact = Fixtures.exact(Fixtures.flat(set), set)
            let parameters = SearchParameters(k: 10, ef: 64)
            let sequential = TestData.recall(try Fixtures.results(Fixtures.hnsw(set), set, parameters), exact)
            let parallel = TestData.recall(try Fixtures.results(Fixtures.hnsw(set, parallel: true), set, parameters), exact)
            #expect(parallel >= sequential - 0.02, "recall@10 parallel \(parallel) vs sequential \(sequential) (dimension \(set.dimension))")
        }
    }

    @Test func hnswUniformRecallAtLeast090() throws {
        let set = Fixtures.uniform
        let recall = TestData.recall(
            try Fixtures.results(Fixtures.hnsw(set), set, SearchParameters(k: 10, ef: 64)),
            Fixtures.exact(Fixtures.flat(set), set))
        #expect(recall >= 0.90, "HNSW M=16 ef=64 uniform recall@10 \(recall)")
    }

    @Test(arguments: [Metric.innerProduct, .cosine])
    func hnswOtherMetricsRecall(metric: Metric) throws {
        let set = Fixtures.clustered
        let recall = TestData.recall(
            try Fixtures.results(Fixtures.hnsw(set, metric: metric), set, SearchParameters(k: 10, ef: 64)),
            Fixtures.exact(Fixtures.flat(set, metric: metric), set))
        #expect(recall >= 0.95, "HNSW \(metric) recall@10 \(recall)")
    }

    @Test func ivfClusteredRecallAtLeast090() throws {
        let set = Fixtures.clustered
        let exact = Fixtures.exact(Fixtures.clusteredFlat, set)
        let recall = TestData.recall(try Fixtures.results(Fixtures.clusteredIVF, set, SearchParameters(k: 10)), exact)
        #expect(recall >= 0.90, "IVF nlist=55 nprobe=10 clustered recall@10 \(recall)")
        let all = TestData.recall(try Fixtures.results(Fixtures.clusteredIVF, set, SearchParameters(k: 10, nprobe: 55)), exact)
        #expect(all == 1, "IVF scanning every list must be exact, got \(all)")
    }

    @Test func ivfUniformRecallGrowsWithNprobe() throws {
        let set = Fixtures.uniform
        let index = Fixtures.ivf(set)
        let exact = Fixtures.exact(Fixtures.flat(set), set)
        let recalls = try [1, 10, 30, 55].map { TestData.recall(try Fixtures.results(index, set, SearchParameters(k: 10, nprobe: $0)), exact) }
        #expect(zip(recalls, recalls.dropFirst()).allSatisfy { $0 <= $1 }, "recalls \(recalls)")
        #expect(recalls.last == 1)
    }

    @Test func ivfInnerProductRecall() throws {
        let set = Fixtures.clustered
        let recall = TestData.recall(
            try Fixtures.results(Fixtures.ivf(set, metric: .innerProduct), set, SearchParameters(k: 10, nprobe: 20)),
            Fixtures.exact(Fixtures.flat(set, metric: .innerProduct), set))
        #expect(recall >= 0.90, "IVF inner product nprobe=20 recall@10 \(recall)")
    }

    @Test func batchSearchMatchesSingleSearch() throws {
        let set = Fixtures.clustered
        for index in [Fixtures.clusteredHNSW as any VectorIndex, Fixtures.clusteredIVF] {
            let parameters = SearchParameters(k: 10, ef: 40, nprobe: 5)
            let batch = try index.search(batch: set.queries, parameters: parameters)
            #expect(batch == (try Fixtures.results(index, set, parameters)), "\(type(of: index))")
        }
    }
}
