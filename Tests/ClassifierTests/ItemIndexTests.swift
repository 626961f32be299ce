import Classifier
import Foundation
import Testing

/// The similar-items index on vectors with a known geometry: nearest first by cosine distance,
/// exclusion, removal, and snapshots accepted only when they match the items table.
@Suite struct ItemIndexTests {
    /// Unit vectors in 8-D at angle `k · 10°` from the x axis, in the x–y plane: item k's
    /// nearest neighbours are k ± 1, then k ± 2, …; cosine distance of k to j is 1 − cos((k−j)·10°).
    static func vector(_ k: Int) -> [Float] {
        let angle = Double(k) * Double.pi / 18
        return [Float(cos(angle)), Float(sin(angle)), 0, 0, 0, 0, 0, 0]
    }

    static let items = (1...6).map { ItemSummary(id: Int64($0), name: "item \($0)", category: $0 % 2 == 0 ? "even" : "odd") }

    static func index() throws -> ItemIndex {
        try ItemIndex.rebuild(items: items, embeddings: items.map { vector(Int($0.id)) }, dimension: 8, modelVersion: "v1")
    }

    @Test func nearestFirstWithCosineDistances() throws {
        let index = try Self.index()
        let similar = try index.similar(to: Self.vector(1), k: 3)
        #expect(similar.map(\.id) == [1, 2, 3])
        #expect(similar.map(\.name) == ["item 1", "item 2", "item 3"])
        let expected = [0.0, 1 - cos(Double.pi / 18), 1 - cos(2 * Double.pi / 18)]
        for (item, distance) in zip(similar, expected) { #expect(abs(Double(item.distance) - distance) < 1e-5) }
        #expect(try index.similar(to: Self.vector(1), k: 2, excluding: 1).map(\.id) == [2, 3])
    }

    @Test func removedItemsAreNotReturned() throws {
        let index = try Self.index()
        index.remove(2)
        #expect(try index.similar(to: Self.vector(1), k: 2).map(\.id) == [1, 3])
        #expect(index.count == 5)
        try index.add(ItemSummary(id: 7, name: "item 7", category: "odd"), embedding: Self.vector(2))
        #expect(try index.similar(to: Self.vector(2), k: 1).first?.name == "item 7")
    }

    @Test func snapshotLoadsOnlyWhenItMatchesTheTable() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("item-index-\(UUID().uuidString).hnsw")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.index().save(to: url)
        let loaded = try #require(ItemIndex.loadSnapshot(from: url, items: Self.items, dimension: 8, modelVersion: "v1"))
        #expect(try loaded.similar(to: Self.vector(6), k: 1).first?.id == 6)
        #expect(ItemIndex.loadSnapshot(from: url, items: Array(Self.items.dropLast()), dimension: 8, modelVersion: "v1") == nil, "one item fewer")
        let other = Self.items.dropLast() + [ItemSummary(id: 99, name: "new", category: "odd")]
        #expect(ItemIndex.loadSnapshot(from: url, items: Array(other), dimension: 8, modelVersion: "v1") == nil, "same count, other ids")
        #expect(ItemIndex.loadSnapshot(from: url, items: Self.items, dimension: 16, modelVersion: "v1") == nil, "other dimension")
        #expect(ItemIndex.loadSnapshot(from: url.appendingPathExtension("missing"), items: Self.items, dimension: 8, modelVersion: "v1") == nil)
    }
}
