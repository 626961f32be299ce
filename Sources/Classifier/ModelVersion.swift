import Models

/// A loaded model version: its configuration and its model.
public struct ModelVersion: Sendable {
    public let spec: ModelVersionSpec
    public let model: ImageModel

    public var id: String { spec.id }

    public init(spec: ModelVersionSpec, model: ImageModel) {
        self.spec = spec
        self.model = model
    }
}
