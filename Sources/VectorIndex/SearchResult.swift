/// One neighbour found by a search: the caller's id and its distance under the index `Metric`
/// (smaller is closer). Results of one query are sorted by increasing distance; equal distances
/// keep a deterministic order that depends on storage position, not on the id.
public struct SearchResult: Sendable, Hashable {
    public let id: UInt64
    public let distance: Float

    public init(id: UInt64, distance: Float) {
        self.id = id
        self.distance = distance
    }
}
