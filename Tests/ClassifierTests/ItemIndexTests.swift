import Classifier
import Foundation
import Testing

/// The similar-items index on vectors with a known geometry: nearest first by cosine distance,
/// exclusion, removal, and snapshots used only when their ids and vectors agree with the items
/// table (items committed after the snapshot are added), else rebuilt.
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

    @Test func snapshotIsUsedOnlyWhenItAgreesWithTheTable() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("item-index-\(UUID().uuidString).hnsw")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.index().save(to: url)
        func recover(_ items: [ItemSummary], _ embeddings: [[Float]]? = nil, dimension: Int = 8, at snapshot: URL? = nil) throws -> (ItemIndex, ItemIndex.Recovery) {
            let (index, recovery) = try ItemIndex.recover(
                snapshot: snapshot ?? url, items: items, embeddings: embeddings ?? items.map { Self.vector(Int($0.id)) }, dimension: dimension,
                modelVersion: "v1")
            return (index, recovery)
        }
        func rebuilt(_ recovery: ItemIndex.Recovery) -> Bool { if case .rebuilt = recovery { true } else { false } }

        let (loaded, exact) = try recover(Self.items)
        #expect(exact == .snapshot(added: 0))
        #expect(try loaded.similar(to: Self.vector(6), k: 1).first?.id == 6)

        // Items committed after the snapshot was saved are added from the table.
        let newer = Self.items + [ItemSummary(id: 7, name: "item 7", category: "odd")]
        let (caughtUp, added) = try recover(newer)
        #expect(added == .snapshot(added: 1))
        #expect(caughtUp.count == 7)
        #expect(try caughtUp.similar(to: Self.vector(7), k: 1).first?.name == "item 7")

        #expect(rebuilt(try recover(Array(Self.items.dropLast())).1), "the snapshot holds an item the table lost")
        let foreign = Self.items.map { Self.vector(Int($0.id) + 9) }
        let (fromTable, refused) = try recover(Self.items, foreign)
        #expect(rebuilt(refused), "same ids, other vectors: a snapshot of another database")
        #expect(try fromTable.similar(to: Self.vector(10), k: 1).first?.id == 1, "answers follow the table, not the snapshot")
        #expect(rebuilt(try recover(Self.items, Self.items.map { Self.vector(Int($0.id)) + [Float](repeating: 0, count: 8) }, dimension: 16).1))
        #expect(rebuilt(try recover(Self.items, at: url.appendingPathExtension("missing")).1))

        let truncated = url.appendingPathExtension("truncated")
        defer { try? FileManager.default.removeItem(at: truncated) }
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let (afterTruncation, truncationRecovery) = try recover(Self.items, at: truncated)
        #expect(rebuilt(truncationRecovery))
        #expect(afterTruncation.count == 6)
    }

    @Test func interruptedSavesAreRemovedUnlessTheirProcessRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("item-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("items.hnsw")
        try Self.index().save(to: url)
        // pid 1 always runs; 2^31 − 2 is above any Linux or macOS pid limit, so no process has it.
        let running = directory.appendingPathComponent(".items.hnsw.tmp-1-42")
        let dead = directory.appendingPathComponent(".items.hnsw.tmp-2147483646-7")
        let unrelated = directory.appendingPathComponent(".other.hnsw.tmp-2147483646-7")
        for file in [running, dead, unrelated] { try Data([1, 2, 3]).write(to: file) }
        #expect(ItemIndex.removeInterruptedSaves(beside: url) == [dead.path])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(left == ["items.hnsw", ".items.hnsw.tmp-1-42", ".other.hnsw.tmp-2147483646-7"])
    }
}
