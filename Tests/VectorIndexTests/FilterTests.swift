import Testing
@testable import VectorIndex

/// Filters: an excluded id is never returned; a very selective filter is answered exactly
/// (same ids as `FlatIndex` with the same filter).
@Suite struct FilterTests {
    static let indexes: [any VectorIndex] = [Fixtures.clusteredFlat, Fixtures.clusteredHNSW, Fixtures.clusteredIVF]

    @Test func predicateFilterNeverReturnsExcludedIDs() throws {
        let set = Fixtures.clustered
        let filter = IDFilter.predicate { $0 % 2 == 0 }
        let exact = Fixtures.exact(Fixtures.clusteredFlat, set, filter: filter)
        for index in Self.indexes {
            let results = try Fixtures.results(index, set, SearchParameters(k: 10, ef: 64, nprobe: 10, filter: filter))
            #expect(results.allSatisfy { $0.count == 10 && $0.allSatisfy { $0.id % 2 == 0 } }, "\(type(of: index))")
            let recall = TestData.recall(results, exact)
            #expect(recall >= 0.9, "\(type(of: index)) filtered recall \(recall)")
        }
    }

    @Test func excludedSetIsNeverReturned() throws {
        let set = Fixtures.clustered
        let nearest = Set(try Fixtures.results(Fixtures.clusteredFlat, set, SearchParameters(k: 3)).flatMap { $0.map(\.id) })
        for index in Self.indexes {
            let results = try Fixtures.results(index, set, SearchParameters(k: 10, filter: .excluded(nearest)))
            #expect(results.allSatisfy { $0.allSatisfy { !nearest.contains($0.id) } }, "\(type(of: index))")
        }
    }

    @Test func selectiveFiltersAreExact() throws {
        let set = Fixtures.clustered
        let allowed = Set(set.ids.enumerated().filter { $0.offset % 97 == 0 }.map(\.element))
        for filter in [IDFilter.allowed(allowed), .predicate { allowed.contains($0) }] {
            let exact = Fixtures.exact(Fixtures.clusteredFlat, set, filter: filter)
            for index in Self.indexes {
                let results = try Fixtures.results(index, set, SearchParameters(k: 10, ef: 16, nprobe: 1, filter: filter))
                #expect(results == exact, "\(type(of: index))")
            }
        }
    }

    @Test func fewerMatchesThanKReturnsOnlyThose() throws {
        let set = Fixtures.clustered
        let allowed: Set<UInt64> = [set.ids[5], set.ids[2000], 123_456_789]
        for index in Self.indexes {
            let results = try index.search(set.query(0), parameters: SearchParameters(k: 10, filter: .allowed(allowed)))
            #expect(Set(results.map(\.id)) == [set.ids[5], set.ids[2000]], "\(type(of: index))")
            let none = try index.search(set.query(0), parameters: SearchParameters(k: 10, filter: .predicate { _ in false }))
            #expect(none.isEmpty)
        }
    }
}
