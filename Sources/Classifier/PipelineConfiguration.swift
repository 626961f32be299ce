/// The limits and thresholds of the classification pipeline.
///
/// Defaults: 10 MB uploads, 40 megapixels declared, the default `QualityPolicy`, accepted when
/// the top confidence is ≥ 0.7, five classes in `top_k`, adversarial detection off.
public struct PipelineConfiguration: Sendable, Equatable {
    public var maxBytes: Int
    public var maxPixels: Int
    public var quality: QualityPolicy
    public var acceptanceThreshold: Float
    public var topK: Int
    public var adversarial: AdversarialPolicy

    public init(
        maxBytes: Int = 10_000_000, maxPixels: Int = 40_000_000, quality: QualityPolicy = QualityPolicy(),
        acceptanceThreshold: Float = 0.7, topK: Int = 5, adversarial: AdversarialPolicy = AdversarialPolicy()
    ) {
        precondition(maxBytes > 0 && maxPixels > 0 && topK > 0, "limits and topK must be positive")
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        self.quality = quality
        self.acceptanceThreshold = acceptanceThreshold
        self.topK = topK
        self.adversarial = adversarial
    }
}
