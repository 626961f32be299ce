import Classifier
import Foundation
import Models
import Testing

/// Paths of the checkout, the real EfficientNet-Lite0 (loaded once per process and shared by
/// every test server) and the sample photos.
enum TestEnvironment {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func sample(_ name: String) throws -> [UInt8] {
        let url = root.appendingPathComponent("Samples/\(name)")
        return try [UInt8](Data(contentsOf: url))
    }

    static let lite0 = Result { () throws(ModelError) in
        try ImageModel.efficientNetLite0(
            weights: path("Weights/efficientnet-lite0.safetensors"), labels: path("Weights/imagenet-labels.txt"))
    }

    /// A registry over the shared model: one version `lite0` by default, or versions with the
    /// given traffic weights (same weights under different ids, as for an A/B test).
    static func registry(_ versions: [(String, Double)] = [("lite0", 100)]) throws -> ModelRegistry {
        let model = try lite0.get()
        return try ModelRegistry(
            versions: versions.map { id, traffic in
                ModelVersion(
                    spec: ModelVersionSpec(
                        id: id, architecture: "efficientnet-lite0", weights: "Weights/efficientnet-lite0.safetensors",
                        labels: "Weights/imagenet-labels.txt", traffic: traffic),
                    model: model)
            })
    }

    /// The PostgreSQL server for the PostgreSQL suite: `COLECIONADOR_TEST_POSTGRES_URL`
    /// (a role allowed to create databases, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres).
    /// Under CI (`CI=true`) it is required: the suite fails instead of passing vacuously.
    static let postgresURL = ProcessInfo.processInfo.environment["COLECIONADOR_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let postgresRequired = ProcessInfo.processInfo.environment["CI"] == "true"
}
