import Classifier

/// An item as stored: a `NewItem` with its id and creation time (Unix seconds).
public struct StoredItem: Sendable {
    public var id: Int64
    public var name: String
    public var category: String
    public var sha256: String
    public var modelVersion: String
    public var embedding: [Float]
    public var createdAt: Double

    public var summary: ItemSummary { ItemSummary(id: id, name: name, category: category) }
}
