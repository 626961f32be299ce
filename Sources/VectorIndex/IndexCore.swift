/// What the three index classes share: input validation, the reader–writer lock, and the public
/// search and write entry points built on them. Each class supplies only its own algorithm — a
/// single-query search under the read lock, and the storing of validated vectors — and its
/// public `search`/`add`/`upsert` are one-line calls into the shared implementations below.
protocol IndexCore: VectorIndex {
    /// Guards the stored vectors: searches read, writes write.
    var lock: ReadWriteLock { get }

    /// One validated query's nearest neighbours; the caller holds the read lock.
    func searchLocked(_ query: UnsafePointer<Float>, _ parameters: SearchParameters) -> [SearchResult]

    /// All validated queries at once when the index has a faster way than one search per query
    /// (flat: one GEMM), or nil; the caller holds the read lock.
    func batchSearchLocked(_ queries: [Float], _ parameters: SearchParameters) -> [[SearchResult]]?

    /// Stores validated (and, for cosine, normalised) vectors under ids checked to be unique
    /// among themselves; takes the locks it needs. `replacing`: upsert, else a stored id is a
    /// `duplicateID` error and nothing is stored.
    func store(ids: [UInt64], validated vectors: [Float], replacing: Bool) throws(IndexError)
}

extension IndexCore {
    func batchSearchLocked(_ queries: [Float], _ parameters: SearchParameters) -> [[SearchResult]]? { nil }

    /// `search(_:parameters:)`: validated parameters and query, then `searchLocked` under the
    /// read lock.
    func searchValidated(_ query: [Float], _ parameters: SearchParameters) throws(IndexError) -> [SearchResult] {
        let p = try parameters.validated()
        let q = try VectorInput.validated(query, dimension: dimension, metric: metric, expected: 1, what: "query")
        return lock.reading { q.withUnsafeBufferPointer { searchLocked($0.baseAddress!, p) } }
    }

    /// `search(batch:parameters:)`: validated, then the index's batch path or one search per
    /// query on all cores, under one read lock.
    func batchSearchValidated(_ queries: [Float], _ parameters: SearchParameters) throws(IndexError) -> [[SearchResult]] {
        let p = try parameters.validated()
        let q = try VectorInput.validated(queries, dimension: dimension, metric: metric, what: "queries")
        return lock.reading {
            batchSearchLocked(q, p) ?? parallelBatch(q, dimension: dimension) { searchLocked($0, p) }
        }
    }

    /// `add` and `upsert`: vectors and ids validated, then `store`.
    func storeValidated(ids: [UInt64], vectors: [Float], replacing: Bool) throws(IndexError) {
        let valid = try VectorInput.validated(vectors, dimension: dimension, metric: metric, expected: ids.count)
        try VectorInput.checkIDs(ids, vectorCount: ids.count)
        try store(ids: ids, validated: valid, replacing: replacing)
    }
}
