import CNN
import CollectionLearning
import Foundation
import Models

/// The model versions a service holds, loaded side by side, and the router between them.
///
/// Versions that name the same architecture, weights and labels share one loaded `ImageModel`
/// (weights are memory-mapped once). Every version on the same backbone (the same model and
/// weights file, whatever its classifier) shares the items embedded by it and their index;
/// `primary`, the first version listed, names the items' own embedding. Immutable and `Sendable`;
/// `adding(_:)` returns a registry with one more version.
public struct ModelRegistry: Sendable {
    public let versions: [ModelVersion]
    public let router: ABRouter

    /// The version whose backbone embeds items (the first listed).
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
            let classifier = try Self.classifier(spec, model: model, baseDirectory: baseDirectory)
            versions.append(ModelVersion(spec: spec, model: model, classifier: classifier))
        }
        try self.init(versions: versions)
    }

    /// A registry of already loaded versions (tests, embedding the library, a trained version
    /// added at run time).
    public init(versions: [ModelVersion]) throws(ClassifierRegistryError) {
        guard !versions.isEmpty else { throw ClassifierRegistryError("A registry needs at least one model version.") }
        var assigned: [ModelVersion] = []
        for var version in versions {
            version.backbone = assigned.first { $0.backboneKey == version.backboneKey }?.id ?? version.id
            assigned.append(version)
        }
        self.versions = assigned
        self.router = try ABRouter(weights: assigned.map { ($0.id, $0.spec.traffic) })
    }

    /// This registry with `version` appended (it must have a new id).
    public func adding(_ version: ModelVersion) throws(ClassifierRegistryError) -> ModelRegistry {
        guard !versions.contains(where: { $0.id == version.id }) else {
            throw ClassifierRegistryError("There is already a model version '\(version.id)'; choose another id.")
        }
        return try ModelRegistry(versions: versions + [version])
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

    /// The classifier a spec names, loaded for `model`.
    static func classifier(_ spec: ModelVersionSpec, model: ImageModel, baseDirectory: String) throws(ClassifierRegistryError) -> VersionClassifier {
        do {
            switch spec.classifier {
            case .imagenet:
                return .imagenet
            case .nearestItems(let k):
                return .nearestItems(try NearestItemsVote(k: k))
            case .head(let file):
                return .head(try HeadFile.read(resolve(file, against: baseDirectory), for: HeadBackbone(model)))
            }
        } catch {
            throw ClassifierRegistryError("Model version '\(spec.id)': \(error.message)")
        }
    }

    static func resolve(_ path: String, against base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(path).standardizedFileURL.path
    }
}
