import CNN
import Foundation
import Imaging

extension ImageModel {
    /// EfficientNet-Lite0 with the ImageNet weights and labels bundled with the library (SwiftPM
    /// resources): no path, environment variable or working directory needed.
    /// - Parameter preparedCache: where to share the folded and packed parameters with other
    ///   processes; `nil` (the default): plan them in private memory, write nothing.
    public static func efficientNetLite0(preparedCache: PreparedParameterCache? = nil) throws(ModelError) -> ImageModel {
        guard let catalog = ModelCatalog.bundled else {
            throw ModelError(
                .weightsNotFound,
                "The library's bundled weights are missing (the Colecionador_BundledWeights.resources directory next to the executable); copy it with the executable, or load the weights by path with efficientNetLite0(weights:labels:).")
        }
        return try catalog.load(.efficientNetLite0, preparedCache: preparedCache)
    }

    /// EfficientNet-Lite0 with ImageNet weights (`Weights/efficientnet-lite0.safetensors`) and
    /// labels (`Weights/imagenet-labels.txt`, one per line, line i = class i). The classifier
    /// size comes from the weights file (`_fc.bias`), so fine-tuned heads load too.
    /// - Parameter preparedCache: where to share the folded and packed parameters with other
    ///   processes (`Network.init(graph:weights:prefix:naming:options:preparedIn:name:)`); `nil`:
    ///   plan them in private memory.
    public static func efficientNetLite0(
        weights: String, labels: String, preparedCache: PreparedParameterCache? = nil
    ) throws(ModelError) -> ImageModel {
        let file = try openWeights(weights)
        let classes = file.info("_fc.bias")?.shape.first ?? 1000
        let graph = try EfficientNetLite(.lite0, classes: classes).makeGraph()
        return try ImageModel(
            name: EfficientNetLite.Variant.lite0.rawValue,
            network: plan(
                graph, file, naming: EfficientNetLite.parameterNaming, path: weights,
                cache: preparedCache, name: EfficientNetLite.Variant.lite0.rawValue),
            labels: readLabels(labels), preprocessing: .efficientNetLite0,
            embeddingOutput: OutputName.features, weightsFingerprint: file.fingerprint)
    }

    /// MobileNetV2 (α 1.0, 224×224) with the classification head, from a Keras export
    /// (`Weights/export_keras_mobilenetv2.py`; F32 or F16). The class count N is read from the
    /// file's `logits/kernel` `[512, N]`. Without a labels file the labels are `class 0` … `class N−1`.
    /// `preparedCache` as for `efficientNetLite0`.
    public static func mobileNetV2(
        weights: String, labels: String? = nil, preparedCache: PreparedParameterCache? = nil
    ) throws(ModelError) -> ImageModel {
        let file = try openWeights(weights)
        guard let classes = MobileNetV2.classes(in: file) else {
            throw ModelError(
                .invalidWeights,
                "\(weights) has no 2-D tensor 'logits/kernel', so it is not a MobileNetV2 + head export; export it with Weights/export_keras_mobilenetv2.py.")
        }
        let graph = try MobileNetV2(classes: classes).makeGraph()
        let names = try labels.map { (path) throws(ModelError) in try readLabels(path) } ?? (0..<classes).map { "class \($0)" }
        return try ImageModel(
            name: "mobilenetv2",
            network: plan(graph, file, naming: MobileNetV2.parameterNaming, path: weights, cache: preparedCache, name: "mobilenetv2"),
            labels: names, preprocessing: .mobileNetV2, embeddingOutput: OutputName.embedding, weightsFingerprint: file.fingerprint)
    }

    /// Labels, one per line (UTF-8; lines end with `\n` or `\r\n`; a final line end optional).
    /// Empty lines in the middle are labels too (empty strings) so that line i stays class i.
    public static func readLabels(_ path: String) throws(ModelError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(.invalidLabels, "Cannot read the labels file \(path); check the path (one label per line, line i = class i).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelError(.invalidLabels, "The labels file \(path) is not UTF-8 text; save it as UTF-8, one label per line.")
        }
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func openWeights(_ path: String) throws(ModelError) -> SafeTensorsFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelError(
                .weightsNotFound,
                "No weights file at \(path); pass the path of a .safetensors file, or set \(ModelCatalog.environmentVariable) to the Weights directory.")
        }
        do {
            return try SafeTensorsFile(contentsOf: path)
        } catch {
            throw ModelError(.invalidWeights, "\(path) is not a valid safetensors file: \(error.message)")
        }
    }

    static func plan(
        _ graph: Graph, _ file: SafeTensorsFile, naming: ParameterNaming, path: String, cache: PreparedParameterCache?, name: String
    ) throws(ModelError) -> Network {
        do {
            guard let cache else { return try Network(graph: graph, weights: file, naming: naming) }
            return try Network(graph: graph, weights: file, naming: naming, preparedIn: cache, name: name)
        } catch {
            throw ModelError(
                .invalidWeights,
                "\(path) does not fit the architecture: \(error.description). Check that the file was exported for this model.",
                underlying: error)
        }
    }
}
