import Models

/// A loaded model version: its configuration, its model (the backbone), its classifier, and
/// which backbone it shares with other versions.
public struct ModelVersion: Sendable {
    public let spec: ModelVersionSpec
    public let model: ImageModel
    public let classifier: VersionClassifier
    /// The id of the first version of the registry with the same backbone (architecture and
    /// weights): the `model_version` under which items embedded by this backbone are stored, so
    /// every version on it shares those items (and their index).
    public internal(set) var backbone: String

    public var id: String { spec.id }

    public init(spec: ModelVersionSpec, model: ImageModel, classifier: VersionClassifier = .imagenet) {
        self.spec = spec
        self.model = model
        self.classifier = classifier
        self.backbone = spec.id
    }

    /// What identifies the backbone: its model and the fingerprint of its weights file.
    var backboneKey: String { "\(model.name)|\(model.weightsFingerprint ?? "unfingerprinted:\(spec.id)")" }
}
