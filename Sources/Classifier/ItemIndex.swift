import FileSupport
import Foundation
import Synchronization
import VectorIndex

/// The collection's items searchable by embedding: an `HNSWIndex` (cosine metric) over item
/// embeddings of one model version, plus each item's name and category.
///
/// The index is derived data: the items table is the truth. At start `recover` loads the
/// snapshot (`save(to:)`) when its ids and vectors agree with the table and adds the items
/// committed after it was saved, or rebuilds from the table (see Docs/CrashSafety.md).
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

    /// How `recover` produced the index at start.
    public enum Recovery: Sendable, Equatable, CustomStringConvertible {
        /// The snapshot was valid; `added` items committed after it was saved (e.g. before the
        /// process was killed) were added from the table.
        case snapshot(added: Int)
        /// Built from the table; `reason` says why the snapshot was not used.
        case rebuilt(reason: String)

        public var description: String {
            switch self {
            case .snapshot(let added): "loaded from the snapshot, \(added) newer item(s) added from the table"
            case .rebuilt(let reason): "rebuilt from the items table (\(reason))"
            }
        }
    }

    /// The index for the items table (`embeddings[i]` belongs to `items[i]`): the snapshot at
    /// `url` when it is valid for the table, brought up to date, else a rebuild from the table.
    ///
    /// Valid means: it loads (format and checksums, `Docs/IndexFormat.md`), has the dimension
    /// and the cosine metric, holds no id the table lacks, and every id it holds has the
    /// table's vector (cosine similarity ≥ `sameVectorSimilarity`, so a snapshot of another
    /// database or model with the same ids is refused). Table items it lacks — committed after
    /// the snapshot was saved — are added. A truncated, damaged, foreign or stale snapshot never
    /// fails the start; it only costs a rebuild.
    public static func recover(
        snapshot url: URL?, items: [ItemSummary], embeddings: [[Float]], dimension: Int, modelVersion: String
    ) throws(IndexError) -> (index: ItemIndex, recovery: Recovery) {
        precondition(items.count == embeddings.count, "one embedding per item")
        func rebuilt(_ reason: String) throws(IndexError) -> (index: ItemIndex, recovery: Recovery) {
            (try rebuild(items: items, embeddings: embeddings, dimension: dimension, modelVersion: modelVersion), .rebuilt(reason: reason))
        }
        guard let url else { return try rebuilt("no snapshot configured") }
        guard FileManager.default.fileExists(atPath: url.path) else { return try rebuilt("no snapshot at \(url.path)") }
        let index: HNSWIndex
        do {
            index = try HNSWIndex.load(from: url)
        } catch {
            return try rebuilt("snapshot unreadable: \(error.message)")
        }
        guard index.dimension == dimension, index.metric == .cosine else {
            return try rebuilt("snapshot has dimension \(index.dimension) and metric \(index.metric), not \(dimension) and cosine")
        }
        var missing: [Int] = []
        for (position, item) in items.enumerated() {
            guard let stored = index.vector(for: UInt64(bitPattern: item.id)) else {
                missing.append(position)
                continue
            }
            guard cosineSimilarity(stored, embeddings[position]) >= sameVectorSimilarity else {
                return try rebuilt("snapshot vector of item \(item.id) differs from the table's: a snapshot of another database or model")
            }
        }
        let known = items.count - missing.count
        guard index.count == known else {
            return try rebuilt("snapshot holds \(index.count - known) item(s) the table no longer has")
        }
        if !missing.isEmpty {
            try index.add(ids: missing.map { UInt64(bitPattern: items[$0].id) }, vectors: missing.flatMap { embeddings[$0] })
        }
        let summaries = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        return (ItemIndex(index: index, modelVersion: modelVersion, summaries: summaries), .snapshot(added: missing.count))
    }

    /// The cosine similarity above which a snapshot's vector is the table's embedding (the
    /// snapshot stores it unit-normalised in Float32: the two differ by rounding only, ~1e-7).
    public static let sameVectorSimilarity = 0.99999

    private static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return -1 }
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        guard normA > 0, normB > 0 else { return -1 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    /// Deletes temporary files that an interrupted `save(to: url)` left beside `url` (the file
    /// layer's, renamed over `url` only once complete), except those of a process still running,
    /// which may be saving right now. Returns the paths removed.
    @discardableResult
    public static func removeInterruptedSaves(beside url: URL) -> [String] {
        AtomicFile.removeInterruptedWrites(beside: url.path)
    }

    public var count: Int { index.count }

    /// Writes the snapshot atomically (a temporary file, fsync, then rename over `url`): a
    /// process killed while saving leaves the previous snapshot intact.
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

    /// Whether the item is in the index.
    public func contains(_ id: Int64) -> Bool {
        summaries.withLock { $0[id] != nil }
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
            // Cosine distance is ≥ 0; rounding leaves about −5e-7 for an identical vector.
            similar.append(SimilarItem(item: summary, distance: max(0, result.distance)))
            if similar.count == k { break }
        }
        return similar
    }
}
