import BundledWeights
import CNN
import Foundation

/// Finds a weights directory and loads built-in models from it. Never touches the network:
/// weights are files that ship with Colecionador.
///
/// Where the directory is looked for, first match wins:
/// 1. an explicit directory (`ModelCatalog(directory:)`, the CLI's `--weights-dir`);
/// 2. the environment variable `COLECIONADOR_WEIGHTS` (a directory);
/// 3. `Weights/` in the current directory or in any of its parents (running from a checkout
///    or any directory inside it);
/// 4. the weights bundled with the library as SwiftPM resources (`ModelCatalog.bundled`), which
///    every app that depends on the package has.
/// A directory counts when it contains `efficientnet-lite0.safetensors`.
public struct ModelCatalog: Sendable, Hashable {
    public static let environmentVariable = "COLECIONADOR_WEIGHTS"
    public static let directoryName = "Weights"

    /// The weights directory, as a path.
    public let directory: String

    /// A catalog over an explicit directory (not checked until a model is loaded).
    public init(directory: String) {
        self.directory = directory
    }

    /// The weights bundled with the library (SwiftPM resources), or nil when the resource bundle
    /// was not installed next to the executable and its source checkout is gone.
    public static var bundled: ModelCatalog? { BundledWeights.directory.map(ModelCatalog.init(directory:)) }

    /// Locates the weights directory by the rules on the type.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        bundled: ModelCatalog? = ModelCatalog.bundled
    ) throws(ModelError) -> ModelCatalog {
        let marker = BuiltInModel.efficientNetLite0.bundledWeightsFile!
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            guard FileManager.default.fileExists(atPath: (fromEnvironment as NSString).appendingPathComponent(marker)) else {
                throw ModelError(
                    .weightsNotFound,
                    "\(environmentVariable) is \(fromEnvironment), which has no \(marker); point it at Colecionador's Weights directory.")
            }
            return ModelCatalog(directory: fromEnvironment)
        }
        var candidate = URL(fileURLWithPath: currentDirectory, isDirectory: true).standardizedFileURL
        while true {
            let weights = candidate.appendingPathComponent(directoryName, isDirectory: true)
            if FileManager.default.fileExists(atPath: weights.appendingPathComponent(marker).path) {
                return ModelCatalog(directory: weights.path)
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        if let bundled { return bundled }
        throw ModelError(
            .weightsNotFound,
            "No \(directoryName)/\(marker) in \(currentDirectory) or its parents, and the library's bundled weights (the Colecionador_BundledWeights.resources directory next to the executable) are missing; copy that directory with the executable, set \(environmentVariable) to a Weights directory, or pass the weights path explicitly.")
    }

    /// The path of `file` inside the directory.
    public func path(_ file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }

    /// Loads a model that ships with weights. With a `preparedCache` (the CLI and the service pass
    /// `.standard()`), its folded and packed parameters are shared with other processes through
    /// files in that directory; without one (the default) nothing is written. MobileNetV2 ships
    /// no weights: load it with `BuiltInModel.load(weights:labels:preparedCache:)`.
    public func load(_ model: BuiltInModel, preparedCache: PreparedParameterCache? = nil) throws(ModelError) -> ImageModel {
        guard let weights = model.bundledWeightsFile else {
            throw ModelError(
                .weightsNotFound,
                "\(model.rawValue) ships without weights (it is trained per collection); pass the path of its .safetensors file.")
        }
        return try model.load(weights: path(weights), labels: model.bundledLabelsFile.map(path), preparedCache: preparedCache)
    }
}
