import Models

/// The model's answer for one image under one model version — what the result cache holds.
///
/// `label`/`confidence` are the most probable class and its softmax probability; `topK` the
/// `k` most probable classes, most probable first; `embedding` the L2-normalised embedding
/// (`model.embeddingDimension` values); `accepted` is `confidence ≥` the acceptance threshold;
/// `adversarialScore` the feature-squeezing score (`FeatureSqueezingDetector`) when the
/// pipeline's adversarial policy is not `off`, else nil.
public struct Classification: Sendable, Equatable, Codable {
    public var label: String
    public var confidence: Float
    public var accepted: Bool
    public var topK: [ClassScore]
    public var embedding: [Float]
    public var modelVersion: String
    public var adversarialScore: Float?

    public init(
        label: String, confidence: Float, accepted: Bool, topK: [ClassScore], embedding: [Float], modelVersion: String,
        adversarialScore: Float? = nil
    ) {
        self.label = label
        self.confidence = confidence
        self.accepted = accepted
        self.topK = topK
        self.embedding = embedding
        self.modelVersion = modelVersion
        self.adversarialScore = adversarialScore
    }

    /// Approximate bytes held in memory, for the cache's byte bound.
    public var approximateBytes: Int {
        256 + embedding.count * MemoryLayout<Float>.size + topK.reduce(0) { $0 + 48 + $1.label.utf8.count } + label.utf8.count
    }
}
