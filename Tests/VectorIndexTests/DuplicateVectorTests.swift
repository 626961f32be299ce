import Testing
@testable import VectorIndex

/// A collection holds many identical embeddings: the same photo registered again, or one item
/// photographed once per copy owned. `Deploy/kill_test.py` registered one photo 1,357 times
/// through the service; afterwards a photo registered twice was not the nearest item of its own
/// copy (distance 0): both copies were unreachable in the HNSW graph.
@Suite struct DuplicateVectorTests {
    static let dimension = 32

    /// 2,000 clustered items, then 500 copies of one vector, then 20 new vectors, each added
    /// twice. A search for each new vector must return its two copies (distance 0), as the exact
    /// scan of `FlatIndex` does.
    @Test(arguments: [Metric.cosine, .l2])
    func copiesAddedAfterManyDuplicatesAreFound(metric: Metric) throws {
        let d = Self.dimension
        let collection = TestData.clustered(count: 2_000, dimension: d, clusters: 20, seed: 11)
        // Away from the collection, as a new kind of item is: the repeated vector is the nearest
        // stored one to every new vector (as the 1,357 copies were to the new photo).
        let repeated = [Float](repeating: 3, count: d)
        var random = SplitMix64(seed: 13)
        let fresh = (0..<20 * d).map { _ in 3 + 0.3 * TestData.gaussian(&random) }

        let hnsw = try HNSWIndex(dimension: d, metric: metric)
        let flat = try FlatIndex(dimension: d, metric: metric)
        for index in [hnsw as any VectorIndex, flat] {
            try index.add(ids: (0..<2_000).map(UInt64.init), vectors: collection)
            for copy in 0..<500 { try index.add(ids: [UInt64(10_000 + copy)], vectors: repeated) }
            for i in 0..<20 {
                let vector = TestData.row(fresh, i, d)
                try index.add(ids: [UInt64(20_000 + 2 * i)], vectors: vector)
                try index.add(ids: [UInt64(20_001 + 2 * i)], vectors: vector)
            }
        }

        var missed: [Int] = []
        for i in 0..<20 {
            let vector = TestData.row(fresh, i, d)
            let copies: Set<UInt64> = [UInt64(20_000 + 2 * i), UInt64(20_001 + 2 * i)]
            let exact = try flat.search(vector, k: 2)
            #expect(Set(exact.map(\.id)) == copies, "the exact scan must find both copies of vector \(i)")
            if Set(try hnsw.search(vector, k: 2).map(\.id)) != copies { missed.append(i) }
        }
        #expect(missed.isEmpty, "HNSW (\(metric)) missed the copies of vectors \(missed) of 20")

        // The duplicates themselves stay reachable: a search for the repeated vector returns only
        // copies of it.
        let top = try hnsw.search(repeated, k: 10)
        #expect(top.count == 10 && top.allSatisfy { (10_000..<10_500).contains($0.id) }, "\(top.map(\.id))")
    }
}
