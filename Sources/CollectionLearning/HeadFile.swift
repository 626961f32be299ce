import CNN
import Foundation

/// A trained head as a safetensors file: the four tensors `hidden.weight` `[D, H]`,
/// `hidden.bias` `[H]`, `output.weight` `[H, K]`, `output.bias` `[K]` (F32, row-major
/// `[in, out]`), and in `__metadata__`: `format` (`colecionador-head/1`), `labels` (a JSON array
/// of the K categories), `input_scale`, the backbone (`backbone_model`,
/// `backbone_weights_fingerprint`, `backbone_embedding_dimension`) and `training` (the
/// `TrainingReport` as JSON, optional). Written atomically (a temporary file, then a rename).
public enum HeadFile {
    public static let format = "colecionador-head/1"

    /// Writes `head` to `path`, replacing any file there only once the new one is complete.
    public static func write(_ head: ClassifierHead, to path: String) throws(CollectionError) {
        var writer = SafeTensorsWriter()
        let p = head.parameters
        writer.add("hidden.weight", shape: [p.inputDimension, p.hiddenDimension], scalars: p.w1)
        writer.add("hidden.bias", shape: [p.hiddenDimension], scalars: p.b1)
        writer.add("output.weight", shape: [p.hiddenDimension, p.classCount], scalars: p.w2)
        writer.add("output.bias", shape: [p.classCount], scalars: p.b2)
        writer.metadata = [
            "format": format,
            "labels": json(head.labels),
            "input_scale": "\(head.inputScale)",
            "backbone_model": head.backbone.model,
            "backbone_weights_fingerprint": head.backbone.weightsFingerprint,
            "backbone_embedding_dimension": "\(head.backbone.embeddingDimension)",
        ]
        if let training = head.training { writer.metadata["training"] = json(training) }
        do {
            try writer.write(to: path)
        } catch {
            throw CollectionError(.invalidHeadFile, "The head could not be written to \(path): \(error.message)")
        }
    }

    /// Reads the head at `path`; with `backbone`, also checks that it was trained over it.
    public static func read(_ path: String, for backbone: HeadBackbone? = nil) throws(CollectionError) -> ClassifierHead {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: path)
        } catch {
            throw CollectionError(.invalidHeadFile, "\(path) is not a readable head file: \(error.message)")
        }
        let head = try read(file, path: path)
        if let backbone { try head.check(backbone: backbone) }
        return head
    }

    static func read(_ file: SafeTensorsFile, path: String) throws(CollectionError) -> ClassifierHead {
        func invalid(_ what: String) -> CollectionError {
            CollectionError(.invalidHeadFile, "\(path) \(what); write it with `colecionador train` or HeadFile.write.")
        }
        let metadata = file.metadata
        guard metadata["format"] == format else {
            throw invalid("is not a Colecionador head (its metadata 'format' is \(metadata["format"].map { "'\($0)'" } ?? "missing"), not '\(format)')")
        }
        guard let labelsText = metadata["labels"], let labels = try? JSONDecoder().decode([String].self, from: Data(labelsText.utf8)) else {
            throw invalid("has no 'labels' metadata holding a JSON array of category names")
        }
        guard Set(labels).count == labels.count, labels.allSatisfy({ (try? CategoryName.validated($0)) == $0 }) else {
            throw invalid("has duplicate, empty or over-long category names in 'labels'")
        }
        guard let model = metadata["backbone_model"], let fingerprint = metadata["backbone_weights_fingerprint"],
            let dimension = metadata["backbone_embedding_dimension"].flatMap(Int.init), dimension > 0
        else {
            throw invalid("does not say which backbone it was trained over ('backbone_model', 'backbone_weights_fingerprint', 'backbone_embedding_dimension')")
        }
        guard let scale = metadata["input_scale"].flatMap(Float.init) else { throw invalid("has no numeric 'input_scale'") }
        guard let hiddenShape = file.info("hidden.bias")?.shape, hiddenShape.count == 1, hiddenShape[0] > 0 else {
            throw invalid("has no 1-D tensor 'hidden.bias'")
        }
        let hidden = hiddenShape[0]
        let classes = labels.count
        var reader = WeightReader(file)
        let parameters: HeadParameters
        do {
            let w1 = try reader.take("hidden.weight", shape: [dimension, hidden]).scalars
            let b1 = try reader.take("hidden.bias", shape: [hidden]).scalars
            let w2 = try reader.take("output.weight", shape: [hidden, classes]).scalars
            let b2 = try reader.take("output.bias", shape: [classes]).scalars
            try reader.finish()
            parameters = HeadParameters(inputDimension: dimension, hiddenDimension: hidden, classCount: classes, w1: w1, b1: b1, w2: w2, b2: b2)
        } catch {
            throw invalid("does not hold a head over \(dimension)-value embeddings with \(classes) categories: \(error.message)")
        }
        let training = metadata["training"].flatMap { try? JSONDecoder().decode(TrainingReport.self, from: Data($0.utf8)) }
        return try ClassifierHead(
            parameters: parameters, labels: labels, inputScale: scale,
            backbone: HeadBackbone(model: model, weightsFingerprint: fingerprint, embeddingDimension: dimension), training: training)
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }
}
