/// What one forward pass of an `ImageModel` produced, per sample of the batch (outer index =
/// sample, in input order).
public struct ModelOutputs: Sendable, Equatable {
    /// `[batch][classes]`: the classifier's raw outputs.
    public var logits: [[Float]]
    /// `[batch][classes]`: softmax of the logits (each row sums to 1).
    public var probabilities: [[Float]]
    /// `[batch][embeddingDimension]`: the embedding output as the network computed it.
    public var rawEmbeddings: [[Float]]

    public var batch: Int { logits.count }

    /// `[batch][embeddingDimension]`: each raw embedding divided by its L2 norm (computed in
    /// Double); an all-zero vector stays zero.
    public var embeddings: [[Float]] { rawEmbeddings.map(Self.normalized) }

    /// The `k` most probable classes of sample `sample`, most probable first (ties: lower index
    /// first). `k` is clamped to 0…classes.
    public func top(_ k: Int, of sample: Int, labels: [String]) -> [ClassScore] {
        let row = probabilities[sample]
        let count = min(max(k, 0), row.count)
        let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        return order.prefix(count).map { ClassScore(label: labels[$0], index: $0, confidence: row[$0]) }
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0 else { return vector }
        return vector.map { Float(Double($0) / norm) }
    }
}
