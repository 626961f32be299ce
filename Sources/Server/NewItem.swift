/// An item to register: its name, category, the SHA-256 of its photo, the embedding of the
/// photo under `modelVersion` (the primary version's backbone), and its embeddings under the
/// other backbones the service runs (`item_embeddings`, keyed by each backbone's version id).
public struct NewItem: Sendable {
    public var name: String
    public var category: String
    public var sha256: String
    public var modelVersion: String
    public var embedding: [Float]
    public var otherEmbeddings: [String: [Float]]

    public init(
        name: String, category: String, sha256: String, modelVersion: String, embedding: [Float], otherEmbeddings: [String: [Float]] = [:]
    ) {
        self.name = name
        self.category = category
        self.sha256 = sha256
        self.modelVersion = modelVersion
        self.embedding = embedding
        self.otherEmbeddings = otherEmbeddings
    }
}
