/// Per-call search settings (FAISS's `SearchParameters`): nothing about a search is stored on
/// the index, so concurrent callers can use different settings.
public struct SearchParameters: Sendable {
    /// How many neighbours to return. A search returns fewer when fewer vectors (passing the
    /// filter) exist; it never fails for that reason. Must be ≥ 1.
    public var k: Int
    /// HNSW: size of the dynamic candidate list (`efSearch`). `nil` uses the index default;
    /// the effective value is `max(ef, k)`. Ignored by other indexes.
    public var ef: Int?
    /// IVF: how many inverted lists to scan. `nil` uses the index default; clamped to the
    /// number of lists. Ignored by other indexes.
    public var nprobe: Int?
    /// Optional restriction on which ids may be returned.
    public var filter: IDFilter?

    public init(k: Int = 10, ef: Int? = nil, nprobe: Int? = nil, filter: IDFilter? = nil) {
        self.k = k
        self.ef = ef
        self.nprobe = nprobe
        self.filter = filter
    }

    func validated() throws(IndexError) -> SearchParameters {
        guard k >= 1 else { throw IndexError(.invalidParameter, "k is \(k); ask for at least 1 neighbour.") }
        if let ef, ef < 1 { throw IndexError(.invalidParameter, "ef is \(ef); use a value ≥ 1 (typically 32…512).") }
        if let nprobe, nprobe < 1 {
            throw IndexError(.invalidParameter, "nprobe is \(nprobe); scan at least 1 list.")
        }
        return self
    }
}
