import Testing
@testable import VectorIndex

/// Bad input gets a typed error and changes nothing; small or empty indexes answer with what
/// exists.
@Suite struct InputValidationTests {
    static func makeIndexes(dimension: Int = 4, metric: Metric = .l2) throws -> [any VectorIndex] {
        let ivf = try IVFIndex(dimension: dimension, metric: metric, configuration: .init(nlist: 2))
        try ivf.train(on: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1].prefix(4 * dimension).map { $0 })
        return [try FlatIndex(dimension: dimension, metric: metric), try HNSWIndex(dimension: dimension, metric: metric), ivf]
    }

    static func code(_ body: () throws -> Void) -> IndexError.Code? {
        do {
            try body()
            return nil
        } catch let error as IndexError {
            #expect(!error.message.isEmpty)
            return error.code
        } catch {
            return nil
        }
    }

    @Test func badVectorsAreRejectedWithTypedErrors() throws {
        for index in try Self.makeIndexes() {
            let name = "\(type(of: index))"
            #expect(Self.code { try index.add(ids: [1], vectors: [1, 2, 3]) } == .dimensionMismatch, "\(name)")
            #expect(Self.code { try index.add(ids: [1, 2], vectors: [1, 2, 3, 4]) } == .dimensionMismatch, "\(name)")
            #expect(Self.code { try index.add(ids: [1], vectors: [1, .nan, 3, 4]) } == .invalidVector, "\(name)")
            #expect(Self.code { try index.add(ids: [1], vectors: [1, .infinity, 3, 4]) } == .invalidVector, "\(name)")
            #expect(Self.code { try index.add(ids: [1, 1], vectors: [1, 2, 3, 4, 5, 6, 7, 8]) } == .invalidIDs, "\(name)")
            #expect(index.count == 0, "\(name): a rejected add must not add anything")
            try index.add(ids: [1], vectors: [1, 2, 3, 4])
            #expect(Self.code { try index.add(ids: [2, 1], vectors: [0, 0, 0, 1, 1, 2, 3, 4]) } == .duplicateID, "\(name)")
            #expect(index.count == 1 && !index.contains(2), "\(name)")
            #expect(Self.code { _ = try index.search([1, 2, 3], k: 1) } == .dimensionMismatch, "\(name)")
            #expect(Self.code { _ = try index.search([1, 2, .nan, 4], k: 1) } == .invalidVector, "\(name)")
            #expect(Self.code { _ = try index.search([1, 2, 3, 4], k: 0) } == .invalidParameter, "\(name)")
            #expect(Self.code { _ = try index.search([1, 2, 3, 4], parameters: SearchParameters(k: 1, ef: 0)) } == .invalidParameter, "\(name)")
        }
    }

    @Test func cosineRejectsZeroVectorsAndNormalisesOnce() throws {
        for index in try Self.makeIndexes(metric: .cosine) {
            #expect(Self.code { try index.add(ids: [1], vectors: [0, 0, 0, 0]) } == .invalidVector)
            try index.add(ids: [7], vectors: [3, 0, 4, 0])
            #expect(index.vector(for: 7) == [0.6, 0, 0.8, 0])
            let hit = try index.search([6, 0, 8, 0], k: 1)
            #expect(hit.map(\.id) == [7] && abs(hit[0].distance) < 1e-6)
        }
    }

    @Test func ivfRequiresTraining() throws {
        let index = try IVFIndex(dimension: 2, configuration: .init(nlist: 4))
        #expect(!index.isTrained)
        #expect(Self.code { try index.add(ids: [1], vectors: [1, 2]) } == .notTrained)
        #expect(Self.code { try index.train(on: [1, 2, 3, 4]) } == .invalidParameter)
        #expect(try index.search([1, 2], k: 3).isEmpty)
    }

    @Test func invalidConstructionParameters() {
        #expect(Self.code { _ = try FlatIndex(dimension: 0) } == .invalidParameter)
        #expect(Self.code { _ = try HNSWIndex(dimension: 4, configuration: .init(m: 1)) } == .invalidParameter)
        #expect(Self.code { _ = try IVFIndex(dimension: 4, configuration: .init(nlist: 0)) } == .invalidParameter)
    }

    @Test func fewerVectorsThanKReturnsAllOfThem() throws {
        for index in try Self.makeIndexes() {
            #expect(try index.search([0, 0, 0, 0], k: 5).isEmpty)
            try index.add(ids: [10, 20, 30], vectors: [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
            let results = try index.search([0, 0, 0, 0], k: 5)
            #expect(results.map(\.id) == [10, 20, 30], "\(type(of: index))")
            #expect(results.map(\.distance) == [1, 4, 9], "\(type(of: index))")
            let batch = try index.search(batch: [0, 0, 0, 0, 0, 0, 0, 3], parameters: SearchParameters(k: 5))
            #expect(batch.map { $0.map(\.id) } == [[10, 20, 30], [30, 20, 10]])
            index.remove(ids: [10, 20, 30])
            #expect(try index.search([0, 0, 0, 0], k: 5).isEmpty, "\(type(of: index))")
        }
    }

    @Test func anyDimensionWorks() throws {
        for dimension in [1, 3, 17, 130] {
            let data = TestData.uniform(count: 50, dimension: dimension, seed: UInt64(dimension))
            let ids = (0..<50).map { UInt64($0) }
            let flat = try FlatIndex(dimension: dimension)
            let hnsw = try HNSWIndex(dimension: dimension, configuration: .init(m: 8, efConstruction: 50))
            try flat.add(ids: ids, vectors: data)
            try hnsw.add(ids: ids, vectors: data)
            let query = TestData.row(data, 7, dimension)
            let want = TestData.bruteForce(data, ids: ids, query: query, dimension: dimension, metric: .l2, k: 5).map(\.id)
            #expect(try flat.search(query, k: 5).map(\.id) == want, "dimension \(dimension)")
            #expect(try hnsw.search(query, parameters: SearchParameters(k: 5, ef: 50)).map(\.id) == want, "dimension \(dimension)")
        }
    }
}
