import Foundation
import Synchronization
import VectorIndex

/// The collection's items searchable by embedding: an `HNSWIndex` (cosine metric) over item
/// embeddings of one model version, plus each item's name and category.
///
/// The index is derived data: the items table is the truth. At start the service either loads
/// a snapshot (`save(to:)`) that matches the table — same ids — or rebuilds from the table.
/// Thread-safe: the HNSW index has its own read/write lock; the summaries sit behind a `Mutex`.
/// An item is added to the summaries before the index and removed from the index first, so a
/// search never returns an id without a summary.
public final class ItemIndex: Sendable {
    public let dimension: Int
    public let modelVersion: String
    private let index: HNSWIndex
    private let summaries: Mutex<[Int64: ItemSummary]>

    public init(dimension: Int, modelVersion: String) throws(IndexError) {
        self.dimension = dimension
        self.modelVersion = modelVersion
        self.index = try HNSWIndex(dimension: dimension, metric: .cosine)
        self.summaries = Mutex([:])
    }

    private init(index: HNSWIndex, modelVersion: String, summaries: [Int64: ItemSummary]) {
        self.dimension = index.dimension
        self.modelVersion = modelVersion
        self.index = index
        self.summaries = Mutex(summaries)
    }

    /// Builds the index from stored items (`embeddings[i]` belongs to `items[i]`).
    public static func rebuild(
        items: [ItemSummary], embeddings: [[Float]], dimension: Int, modelVersion: String
    ) throws(IndexError) -> ItemIndex {
        let itemIndex = try ItemIndex(dimension: dimension, modelVersion: modelVersion)
        itemIndex.summaries.withLock { map in
            for item in items { map[item.id] = item }
        }
        if !items.isEmpty {
            try itemIndex.index.add(ids: items.map { UInt64(bitPattern: $0.id) }, vectors: embeddings.flatMap { $0 })
        }
        return itemIndex
    }

    /// The snapshot at `url` if it holds exactly the ids of `items` with the right dimension
    /// and metric; nil when it is missing, unreadable or stale (then rebuild).
    public static func loadSnapshot(
        from url: URL, items: [ItemSummary], dimension: Int, modelVersion: String
    ) -> ItemIndex? {
        guard FileManager.default.fileExists(atPath: url.path),
            let index = try? HNSWIndex.load(from: url),
            index.dimension == dimension, index.metric == .cosine, index.count == items.count,
            items.allSatisfy({ index.contains(UInt64(bitPattern: $0.id)) })
        else { return nil }
        return ItemIndex(index: index, modelVersion: modelVersion, summaries: Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) }))
    }

    public var count: Int { index.count }

    public func save(to url: URL) throws(IndexError) {
        try index.save(to: url)
    }

    public func add(_ item: ItemSummary, embedding: [Float]) throws(IndexError) {
        summaries.withLock { $0[item.id] = item }
        do {
            try index.upsert(ids: [UInt64(bitPattern: item.id)], vectors: embedding)
        } catch {
            summaries.withLock { $0[item.id] = nil }
            throw error
        }
    }

    public func remove(_ id: Int64) {
        index.remove(ids: [UInt64(bitPattern: id)])
        summaries.withLock { $0[id] = nil }
    }

    /// The `k` items nearest to `embedding`, nearest first, leaving out `excluding`.
    public func similar(to embedding: [Float], k: Int, excluding: Int64? = nil) throws(IndexError) -> [SimilarItem] {
        guard k > 0, index.count > 0 else { return [] }
        let wanted = excluding == nil ? k : k + 1
        let results = try index.search(embedding, k: wanted)
        let names = summaries.withLock { map in results.map { map[Int64(bitPattern: $0.id)] } }
        var similar: [SimilarItem] = []
        for (result, summary) in zip(results, names) {
            guard let summary, summary.id != excluding else { continue }
            similar.append(SimilarItem(item: summary, distance: result.distance))
            if similar.count == k { break }
        }
        return similar
    }
}
