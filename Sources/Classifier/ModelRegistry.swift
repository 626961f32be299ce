import CNN
import Foundation
import Models

/// The model versions a service holds, loaded side by side, and the router between them.
///
/// Versions that name the same architecture, weights and labels share one loaded `ImageModel`
/// (weights are memory-mapped once). `primary` is the first version listed: items are embedded
/// with it and the similar-items index holds its embeddings. Immutable and `Sendable`.
public struct ModelRegistry: Sendable {
    public let versions: [ModelVersion]
    public let router: ABRouter

    /// The version that embeds items (the first listed).
    public var primary: ModelVersion { versions[0] }

    /// Loads every version in `specs`, resolving relative paths against `baseDirectory`. The
    /// models' prepared parameters are shared through `preparedCache` (nil: each process keeps
    /// its own; see `PreparedParameterCache.standard()`).
    public init(
        specs: [ModelVersionSpec], baseDirectory: String, preparedCache: PreparedParameterCache? = .standard()
    ) throws(ClassifierRegistryError) {
        guard !specs.isEmpty else { throw ClassifierRegistryError("The configuration lists no model versions; list at least one.") }
        var loaded: [String: ImageModel] = [:]
        var versions: [ModelVersion] = []
        for spec in specs {
            guard !versions.contains(where: { $0.id == spec.id }) else {
                throw ClassifierRegistryError("Model version '\(spec.id)' is listed twice; give each version its own id.")
            }
            guard let architecture = BuiltInModel(rawValue: spec.architecture) else {
                let known = BuiltInModel.allCases.map(\.rawValue).joined(separator: ", ")
                throw ClassifierRegistryError("Model version '\(spec.id)' names the architecture '\(spec.architecture)'; use one of \(known).")
            }
            let weights = Self.resolve(spec.weights, against: baseDirectory)
            let labels = spec.labels.map { Self.resolve($0, against: baseDirectory) }
            let key = "\(spec.architecture)|\(weights)|\(labels ?? "")"
            let model: ImageModel
            if let shared = loaded[key] {
                model = shared
            } else {
                do {
                    model = try architecture.load(weights: weights, labels: labels, preparedCache: preparedCache)
                } catch {
                    throw ClassifierRegistryError("Model version '\(spec.id)' could not be loaded: \(error.message)")
                }
                loaded[key] = model
            }
            versions.append(ModelVersion(spec: spec, model: model))
        }
        self.versions = versions
        self.router = try ABRouter(weights: specs.map { ($0.id, $0.traffic) })
    }

    /// A registry of already loaded models (tests, embedding the library).
    public init(versions: [ModelVersion]) throws(ClassifierRegistryError) {
        guard !versions.isEmpty else { throw ClassifierRegistryError("A registry needs at least one model version.") }
        self.versions = versions
        self.router = try ABRouter(weights: versions.map { ($0.id, $0.spec.traffic) })
    }

    /// The version with `id`, or `unknown_model_version`.
    public func version(_ id: String) throws(ClassifierError) -> ModelVersion {
        guard let version = versions.first(where: { $0.id == id }) else {
            throw ClassifierError(
                .unknownModelVersion,
                "There is no model version '\(id)'; use one of \(versions.map(\.id).joined(separator: ", ")) or omit it.")
        }
        return version
    }

    /// The version for a request: `requested` if given (it must exist), else the router's choice
    /// for `clientKey` (sticky) or a random one when there is no key.
    public func choose(requested: String?, clientKey: String?) throws(ClassifierError) -> ModelVersion {
        if let requested { return try version(requested) }
        return try version(router.route(clientKey: clientKey))
    }

    static func resolve(_ path: String, against base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(path).standardizedFileURL.path
    }
}
