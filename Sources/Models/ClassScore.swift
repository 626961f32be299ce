/// One class of a classification: its label, its index in the model's output (the label file's
/// line number, from 0) and its softmax probability in 0…1.
public struct ClassScore: Sendable, Hashable, Codable {
    public let label: String
    public let index: Int
    public let confidence: Float

    public init(label: String, index: Int, confidence: Float) {
        self.label = label
        self.index = index
        self.confidence = confidence
    }
}
