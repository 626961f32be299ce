import Models

/// The backbone a head learned over: its model name, the fingerprint of its weights file and
/// the length of its embedding. A head applies only over the same backbone.
public struct HeadBackbone: Sendable, Equatable, Codable {
    public var model: String
    public var weightsFingerprint: String
    public var embeddingDimension: Int

    public init(model: String, weightsFingerprint: String, embeddingDimension: Int) {
        self.model = model
        self.weightsFingerprint = weightsFingerprint
        self.embeddingDimension = embeddingDimension
    }

    /// The backbone of a loaded model; `backbone_mismatch` when the model was not loaded from a
    /// weights file (its fingerprint is unknown, so no head can be checked against it).
    public init(_ model: ImageModel) throws(CollectionError) {
        guard let fingerprint = model.weightsFingerprint else {
            throw CollectionError(
                .backboneMismatch,
                "Model '\(model.name)' was not loaded from a weights file, so a head cannot be checked against it; load it with ImageModel.efficientNetLite0(…) or mobileNetV2(weights:).")
        }
        self.init(model: model.name, weightsFingerprint: fingerprint, embeddingDimension: model.embeddingDimension)
    }
}
