import Testing
@testable import VectorIndex

/// `FlatIndex` against a brute-force scan in `Double` written in the test: same ids in the same
/// order, distances within `1e-4 · (1 + |reference|)` (Float accumulation over ≤ 64 terms).
@Suite struct FlatIndexTests {
    static let dimension = 24

    @Test(arguments: Metric.allCases)
    func matchesDoubleBruteForce(metric: Metric) throws {
        let data = TestData.clustered(count: 600, dimension: Self.dimension, clusters: 8, seed: 11)
        let ids = (0..<600).map { UInt64($0) * 7 + 3 }
        let index = try FlatIndex(dimension: Self.dimension, metric: metric)
        try index.add(ids: ids, vectors: data)
        let queries = TestData.clustered(count: 20, dimension: Self.dimension, clusters: 8, seed: 12)
        for q in 0..<20 {
            let query = TestData.row(queries, q, Self.dimension)
            let got = try index.search(query, k: 10)
            let want = TestData.bruteForce(data, ids: ids, query: query, dimension: Self.dimension, metric: metric, k: 10)
            #expect(got.map(\.id) == want.map(\.id), "metric \(metric) query \(q)")
            for (g, w) in zip(got, want) {
                #expect(abs(Double(g.distance) - w.distance) <= 1e-4 * (1 + abs(w.distance)), "metric \(metric) query \(q)")
            }
        }
    }

    @Test(arguments: Metric.allCases)
    func batchSearchMatchesSingleSearch(metric: Metric) throws {
        let data = TestData.uniform(count: 1500, dimension: Self.dimension, seed: 5)
        let index = try FlatIndex(dimension: Self.dimension, metric: metric)
        try index.add(ids: (0..<1500).map { UInt64($0) }, vectors: data)
        let queries = TestData.uniform(count: 40, dimension: Self.dimension, seed: 6)
        let batch = try index.search(batch: queries, parameters: SearchParameters(k: 5))
        #expect(batch.count == 40)
        for q in 0..<40 {
            let single = try index.search(TestData.row(queries, q, Self.dimension), k: 5)
            #expect(batch[q].map(\.id) == single.map(\.id), "metric \(metric) query \(q)")
            for (b, s) in zip(batch[q], single) { #expect(abs(b.distance - s.distance) <= 1e-4 * (1 + abs(s.distance))) }
        }
    }

    @Test func removeKeepsOtherIDsAndUpsertReplaces() throws {
        let data = TestData.uniform(count: 100, dimension: 4, seed: 1)
        let index = try FlatIndex(dimension: 4)
        try index.add(ids: (0..<100).map { UInt64($0) }, vectors: data)
        #expect(index.remove(ids: [3, 50, 99, 1000]) == 3)
        #expect(index.count == 97)
        #expect(!index.contains(50) && index.contains(51))
        #expect(index.vector(for: 51) == TestData.row(data, 51, 4))
        try index.upsert(ids: [51, 500], vectors: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(index.count == 98)
        #expect(index.vector(for: 51) == [1, 2, 3, 4])
        let nearest = try index.search([5, 6, 7, 8], k: 1)
        #expect(nearest.first?.id == 500 && nearest.first?.distance == 0)
    }
}
