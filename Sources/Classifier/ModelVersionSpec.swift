/// One model version as a configuration file lists it: an id, the architecture, the weights and
/// labels files, and the share of traffic the A/B router sends to it.
///
/// JSON: `{"id": "lite0-a", "architecture": "efficientnet-lite0", "weights": "…safetensors",
/// "labels": "…txt", "traffic": 50}`. Relative paths are resolved against the configuration
/// file's directory. `traffic` is a non-negative weight; the shares are `traffic / Σ traffic`.
public struct ModelVersionSpec: Sendable, Equatable, Codable {
    public var id: String
    /// A `BuiltInModel` raw value: `efficientnet-lite0` or `mobilenetv2`.
    public var architecture: String
    public var weights: String
    public var labels: String?
    public var traffic: Double

    public init(id: String, architecture: String, weights: String, labels: String?, traffic: Double) {
        self.id = id
        self.architecture = architecture
        self.weights = weights
        self.labels = labels
        self.traffic = traffic
    }
}
