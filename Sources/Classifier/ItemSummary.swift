/// A collection item as the similar-items answer names it.
public struct ItemSummary: Sendable, Equatable, Codable {
    public let id: Int64
    public let name: String
    public let category: String

    public init(id: Int64, name: String, category: String) {
        self.id = id
        self.name = name
        self.category = category
    }
}
