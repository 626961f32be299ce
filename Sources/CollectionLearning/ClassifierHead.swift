import Foundation
import Models

/// A trained collection classifier: the original design's head (Dense `hiddenDimension` ReLU →
/// Dropout → Dense K → softmax) over a backbone's L2-normalised embedding, with its categories
/// and the backbone it was trained on.
///
/// The head's input is the embedding times `inputScale` (√dimension by default, which gives
/// the components unit root-mean-square, the scale the initialisation assumes). The items
/// table stores the normalised embedding, so a head can be retrained from it without the
/// photos. Immutable and `Sendable`; prediction is one GEMM per layer for a whole batch.
public struct ClassifierHead: Sendable, Equatable {
    public let parameters: HeadParameters
    /// Category `i` at index `i`, one per output.
    public let labels: [String]
    public let inputScale: Float
    public let backbone: HeadBackbone
    public let training: TrainingReport?

    public var hiddenDimension: Int { parameters.hiddenDimension }

    public init(parameters: HeadParameters, labels: [String], inputScale: Float, backbone: HeadBackbone, training: TrainingReport? = nil) throws(CollectionError) {
        guard labels.count == parameters.classCount else {
            throw CollectionError(.invalidHeadFile, "The head has \(parameters.classCount) outputs but \(labels.count) categories; give one category per output.")
        }
        guard parameters.inputDimension == backbone.embeddingDimension else {
            throw CollectionError(
                .invalidHeadFile,
                "The head takes \(parameters.inputDimension) inputs but the backbone '\(backbone.model)' embeds in \(backbone.embeddingDimension); train the head over this backbone.")
        }
        guard inputScale.isFinite, inputScale > 0 else {
            throw CollectionError(.invalidHeadFile, "The head's input scale is \(inputScale); it must be a positive number — retrain the head.")
        }
        self.parameters = parameters
        self.labels = labels
        self.inputScale = inputScale
        self.backbone = backbone
        self.training = training
    }

    /// `backbone_mismatch` unless `other` is the backbone the head was trained over.
    public func check(backbone other: HeadBackbone) throws(CollectionError) {
        guard other.weightsFingerprint == backbone.weightsFingerprint, other.embeddingDimension == backbone.embeddingDimension else {
            throw CollectionError(
                .backboneMismatch,
                "This head was trained over '\(backbone.model)' weights \(backbone.weightsFingerprint), not over '\(other.model)' weights \(other.weightsFingerprint); train a head over this backbone (colecionador train, or POST /v1/models/{id}/train).")
        }
    }

    /// The categories of each embedding (L2-normalised, `backbone.embeddingDimension` long).
    public func predict(_ embeddings: [[Float]]) throws(CollectionError) -> [CategoryPrediction] {
        let rows = embeddings.count
        guard rows > 0 else { return [] }
        var logits = parameters.logits(hidden: try hidden(embeddings), rows: rows)
        Softmax.normalize(&logits, rows: rows, columns: parameters.classCount)
        let k = parameters.classCount
        return (0..<rows).map { CategoryPrediction(probabilities: Array(logits[($0 * k)..<(($0 + 1) * k)]), labels: labels) }
    }

    /// The hidden layer of each embedding, L2-normalised: the original design's 512-D embedding
    /// (`hiddenDimension` values; an all-zero layer stays zero).
    public func hiddenEmbeddings(_ embeddings: [[Float]]) throws(CollectionError) -> [[Float]] {
        let h = parameters.hiddenDimension
        let hidden = try hidden(embeddings)
        return (0..<embeddings.count).map { row in
            let values = hidden[(row * h)..<((row + 1) * h)]
            let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            return norm > 0 ? values.map { Float(Double($0) / norm) } : Array(values)
        }
    }

    private func hidden(_ embeddings: [[Float]]) throws(CollectionError) -> [Float] {
        let dimension = parameters.inputDimension
        var x: [Float] = []
        x.reserveCapacity(embeddings.count * dimension)
        for (row, embedding) in embeddings.enumerated() {
            guard embedding.count == dimension else {
                throw CollectionError(.invalidFeatures, "Embedding \(row) has \(embedding.count) values; this head takes \(dimension).")
            }
            guard embedding.allSatisfy(\.isFinite) else {
                throw CollectionError(.invalidFeatures, "Embedding \(row) holds NaN or infinity.")
            }
            x += embedding.map { $0 * inputScale }
        }
        return parameters.hidden(x, rows: embeddings.count)
    }
}
