/// One model version as a configuration file lists it: an id, the architecture, the weights and
/// labels files, the classifier it answers with, and the share of traffic the A/B router sends
/// to it.
///
/// JSON: `{"id": "lite0-a", "architecture": "efficientnet-lite0", "weights": "…safetensors",
/// "labels": "…txt", "classifier": {"kind": "nearest-items", "k": 10}, "traffic": 50}`.
/// Relative paths are resolved against the configuration file's directory. `classifier` is
/// optional (`imagenet`). `traffic` is a non-negative weight; the shares are `traffic / Σ traffic`.
public struct ModelVersionSpec: Sendable, Equatable, Codable {
    public var id: String
    /// A `BuiltInModel` raw value: `efficientnet-lite0` or `mobilenetv2`.
    public var architecture: String
    public var weights: String
    public var labels: String?
    public var classifier: ClassifierSpec
    public var traffic: Double

    public init(id: String, architecture: String, weights: String, labels: String?, classifier: ClassifierSpec = .imagenet, traffic: Double) {
        self.id = id
        self.architecture = architecture
        self.weights = weights
        self.labels = labels
        self.classifier = classifier
        self.traffic = traffic
    }

    enum CodingKeys: String, CodingKey { case id, architecture, weights, labels, classifier, traffic }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        architecture = try c.decode(String.self, forKey: .architecture)
        weights = try c.decode(String.self, forKey: .weights)
        labels = try c.decodeIfPresent(String.self, forKey: .labels)
        classifier = try c.decodeIfPresent(ClassifierSpec.self, forKey: .classifier) ?? .imagenet
        traffic = try c.decode(Double.self, forKey: .traffic)
    }
}
