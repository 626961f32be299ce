import Testing
@testable import VectorIndex

/// Training and retraining of `IVFIndex`: after the data drifts away from the training sample,
/// `retrain()` rebalances the lists, keeps every vector, and restores recall.
@Suite struct IVFTrainingTests {
    @Test func retrainAfterDriftRebalancesListsAndRestoresRecall() throws {
        let dimension = 16
        let old = TestData.clustered(count: 1000, dimension: dimension, clusters: 8, centreSeed: 5, seed: 1)
        // The drifted data: another mixture, far from the training sample.
        let drifted = TestData.clustered(count: 2000, dimension: dimension, clusters: 8, centreSeed: 6, seed: 2).map { $0 + 3 }
        let ids = (0..<2000).map { UInt64($0) + 10_000 }
        let index = try IVFIndex(dimension: dimension, configuration: .init(nlist: 40, nprobe: 4))
        try index.train(on: old)
        try index.add(ids: ids, vectors: drifted)
        let largestBefore = index.listSizes.max()!

        let flat = try FlatIndex(dimension: dimension)
        try flat.add(ids: ids, vectors: drifted)
        let queries = TestData.clustered(count: 50, dimension: dimension, clusters: 8, centreSeed: 6, seed: 3).map { $0 + 3 }
        let exact = try (0..<50).map { try flat.search(TestData.row(queries, $0, dimension), k: 10) }
        let before = TestData.recall(try (0..<50).map { try index.search(TestData.row(queries, $0, dimension), k: 10) }, exact)

        try index.retrain()
        #expect(index.isTrained && index.count == 2000 && ids.allSatisfy { index.contains($0) })
        #expect(index.listSizes.reduce(0, +) == 2000)
        let largestAfter = index.listSizes.max()!
        let after = TestData.recall(try (0..<50).map { try index.search(TestData.row(queries, $0, dimension), k: 10) }, exact)
        #expect(largestAfter < largestBefore, "largest list \(largestBefore) → \(largestAfter)")
        #expect(after >= 0.9, "recall after retraining \(after) (before \(before))")
        #expect(index.vector(for: ids[17]) == TestData.row(drifted, 17, dimension))
    }

    @Test func trainingTwiceMovesStoredVectors() throws {
        let set = Fixtures.uniform
        let index = try IVFIndex(dimension: set.dimension, configuration: .init(nlist: 10, nprobe: 10))
        try index.train(on: Array(set.data.prefix(500 * set.dimension)))
        try index.add(ids: Array(set.ids.prefix(500)), vectors: Array(set.data.prefix(500 * set.dimension)))
        try index.train(on: Array(set.data.suffix(1000 * set.dimension)))
        #expect(index.count == 500 && index.listSizes.reduce(0, +) == 500)
        let hit = try index.search(set.vector(42), parameters: SearchParameters(k: 1, nprobe: 10))
        #expect(hit.first?.id == set.ids[42] && hit.first?.distance == 0)
    }
}
