import Testing
@testable import VectorIndex

/// Cosine distance is `1 − dot` of unit vectors, whose float dot product with itself can round
/// above 1: every index kind must still report distances ≥ 0, and 0 for a vector's own copy
/// within rounding (512 float products: 3e-5 bounds the error of their sum). The HNSW graph is
/// built sequentially (16 vectors per `add`, below the parallel-linking threshold) and searched
/// with `ef` = the count, so which nodes it reaches is the same on every run.
@Suite struct CosineDistanceTests {
    static let dimension = 512

    static func indexes() throws -> [(String, any VectorIndex)] {
        [
            ("flat", try FlatIndex(dimension: dimension, metric: .cosine)),
            ("hnsw", try HNSWIndex(dimension: dimension, metric: .cosine)),
        ]
    }

    @Test func identicalVectorsAreNeverBelowZero() throws {
        let count = 300
        let data = TestData.uniform(count: count, dimension: Self.dimension, seed: 2026_12_04)
        for (name, index) in try Self.indexes() {
            for start in stride(from: 0, to: count, by: 16) {
                let end = min(count, start + 16)
                try index.add(ids: (start..<end).map { UInt64($0) }, vectors: Array(data[(start * Self.dimension)..<(end * Self.dimension)]))
            }
            var negative = 0
            for row in 0..<count {
                let hits = try index.search(TestData.row(data, row, Self.dimension), parameters: SearchParameters(k: 3, ef: count))
                negative += hits.filter { $0.distance < 0 }.count
                #expect(hits.first?.distance ?? 1 <= 3e-5, "\(name) row \(row): own copy at \(hits.first?.distance ?? .nan)")
            }
            #expect(negative == 0, "\(name): \(negative) negative cosine distances")
        }
    }
}
