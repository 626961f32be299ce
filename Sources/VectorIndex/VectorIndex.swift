import Foundation

/// A searchable collection of fixed-dimension `Float` vectors, each under a caller-chosen `UInt64`
/// id that stays stable for the vector's lifetime (removal of other vectors never renumbers it).
///
/// Vectors are passed row-major in one flat array: `n` vectors of `dimension` floats are
/// `vectors[i * dimension ..< (i + 1) * dimension]`, matching `ids[i]`. Vectors holding NaN or
/// infinity, or of the wrong length, are rejected with a typed `IndexError` and nothing is added.
///
/// Concurrency (every conforming type in this module): any number of readers (`search`,
/// `contains`, `count`, `vector(for:)`, `save`) run at the same time under a read lock; writers
/// (`add`, `upsert`, `remove`, training, compaction) take the write lock and are serialised.
/// A reader never sees a half-applied write. See each type for how long a writer holds the lock.
public protocol VectorIndex: AnyObject, Sendable {
    /// Number of floats per vector.
    var dimension: Int { get }
    var metric: Metric { get }
    /// Number of live (not removed) vectors.
    var count: Int { get }

    /// Adds vectors under new ids. Throws `duplicateID` if an id is already stored (nothing is
    /// added then); use `upsert` to replace.
    func add(ids: [UInt64], vectors: [Float]) throws(IndexError)
    /// Adds vectors, replacing the vectors of ids already stored.
    func upsert(ids: [UInt64], vectors: [Float]) throws(IndexError)
    /// Removes the given ids; unknown ids are ignored. Returns how many were removed.
    @discardableResult func remove(ids: [UInt64]) -> Int
    func contains(_ id: UInt64) -> Bool
    /// Bytes of the stored arrays (vectors, ids, links, lists; counted by length, not by
    /// allocated capacity), not counting hash maps or per-object overhead.
    var storageBytes: Int { get }
    /// The stored vector of `id` (normalised, for cosine), or `nil` if it is not stored.
    func vector(for id: UInt64) -> [Float]?

    /// The nearest neighbours of one query, sorted by increasing distance.
    func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> [SearchResult]
    /// The nearest neighbours of each of `n` queries passed row-major in one flat array; queries
    /// run in parallel on all cores. `result[i]` answers query `i`.
    func search(batch queries: [Float], parameters: SearchParameters) throws(IndexError) -> [[SearchResult]]

    /// Writes the index to `url` atomically (a temporary file in the same directory, then rename).
    /// Format: `Docs/IndexFormat.md`.
    func save(to url: URL) throws(IndexError)
}

extension VectorIndex {
    public func search(_ query: [Float], k: Int) throws(IndexError) -> [SearchResult] {
        try search(query, parameters: SearchParameters(k: k))
    }
}
