import Testing
@testable import VectorIndex

/// Removal, slot reuse and compaction: a removed id is never returned, and recall over the
/// remaining vectors stays high (against a `FlatIndex` holding only the remaining vectors).
@Suite struct DeletionTests {
    static func remaining(_ set: Fixtures.DataSet, removed: Set<UInt64>) -> FlatIndex {
        let flat = try! FlatIndex(dimension: set.dimension)
        for (i, id) in set.ids.enumerated() where !removed.contains(id) {
            try! flat.add(ids: [id], vectors: set.vector(i))
        }
        return flat
    }

    @Test func hnswTombstonesAreNeverReturnedAndSlotsAreReused() throws {
        let set = Fixtures.clustered
        let index = try HNSWIndex(dimension: set.dimension, configuration: .init(m: 16, efConstruction: 64, compactionThreshold: 0.5))
        try index.add(ids: set.ids, vectors: set.data)
        let removed = Set(set.ids.enumerated().filter { $0.offset % 5 == 0 }.map(\.element))
        #expect(index.remove(ids: Array(removed)) == removed.count)
        #expect(index.count == set.ids.count - removed.count)
        #expect(index.tombstoneCount == removed.count)
        let results = try Fixtures.results(index, set, SearchParameters(k: 10, ef: 64))
        #expect(results.allSatisfy { $0.allSatisfy { !removed.contains($0.id) } })
        let recall = TestData.recall(results, Fixtures.exact(Self.remaining(set, removed: removed), set))
        #expect(recall >= 0.95, "recall after removing 20 %: \(recall)")

        // New ids take the tombstoned slots; each is found by its own vector.
        let fresh = (0..<100).map { 1_000_000 + UInt64($0) }
        let freshVectors = TestData.clustered(count: 100, dimension: set.dimension, clusters: 16, seed: 99)
        try index.add(ids: fresh, vectors: freshVectors)
        #expect(index.tombstoneCount == removed.count - 100)
        for i in 0..<100 {
            let hit = try index.search(TestData.row(freshVectors, i, set.dimension), parameters: SearchParameters(k: 1, ef: 64))
            #expect(hit.first?.id == fresh[i])
        }
    }

    @Test func hnswCompactsWhenTombstonesPassTheThreshold() throws {
        let set = Fixtures.uniform
        let index = try HNSWIndex(dimension: set.dimension, configuration: .init(m: 8, efConstruction: 40, compactionThreshold: 0.3))
        try index.add(ids: Array(set.ids.prefix(1000)), vectors: Array(set.data.prefix(1000 * set.dimension)))
        let removed = Set(set.ids.prefix(1000).enumerated().filter { $0.offset % 3 != 0 }.map(\.element))
        index.remove(ids: Array(removed.prefix(200)))
        #expect(index.tombstoneCount == 200)
        index.remove(ids: Array(removed))
        #expect(index.tombstoneCount == 0, "removing 2/3 must trigger compaction")
        #expect(index.count == 1000 - removed.count)
        let results = try Fixtures.results(index, set, SearchParameters(k: 10, ef: 64))
        #expect(results.allSatisfy { $0.count == 10 && $0.allSatisfy { !removed.contains($0.id) } })
    }

    @Test func hnswUpsertReplacesTheVector() throws {
        let index = try HNSWIndex(dimension: 3)
        try index.add(ids: [1, 2, 3], vectors: [0, 0, 0, 1, 1, 1, 2, 2, 2])
        try index.upsert(ids: [2, 4], vectors: [9, 9, 9, 5, 5, 5])
        #expect(index.count == 4)
        #expect(index.vector(for: 2) == [9, 9, 9])
        #expect(try index.search([9, 9, 9], k: 1).first?.id == 2)
        #expect(try index.search([1.5, 1.5, 1.5], k: 4).map(\.id) == [3, 1, 4, 2])
    }

    @Test func ivfRemovedIDsAreNeverReturned() throws {
        let set = Fixtures.clustered
        let index = Fixtures.ivf(set)
        let removed = Set(set.ids.enumerated().filter { $0.offset % 4 == 1 }.map(\.element))
        #expect(index.remove(ids: Array(removed) + [7_777_777]) == removed.count)
        #expect(index.count == set.ids.count - removed.count)
        let results = try Fixtures.results(index, set, SearchParameters(k: 10, nprobe: 55))
        #expect(results.allSatisfy { $0.allSatisfy { !removed.contains($0.id) } })
        #expect(Fixtures.sameResults(results, Fixtures.exact(Self.remaining(set, removed: removed), set)))
    }
}
