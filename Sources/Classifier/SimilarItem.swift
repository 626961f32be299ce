/// One neighbour of a query embedding: the item and its cosine distance `1 − cos θ` (0 = same
/// direction, 2 = opposite).
public struct SimilarItem: Sendable, Equatable, Codable {
    public let id: Int64
    public let name: String
    public let category: String
    public let distance: Float

    public init(item: ItemSummary, distance: Float) {
        self.id = item.id
        self.name = item.name
        self.category = item.category
        self.distance = distance
    }
}
