/// Validation and preparation of caller-supplied vectors, shared by every index.
enum VectorInput {
    /// Checks that `vectors` holds whole vectors of `dimension` finite floats (exactly `expected`
    /// of them when given) and returns them ready to store: unit length for cosine.
    static func validated(
        _ vectors: [Float], dimension: Int, metric: Metric, expected: Int? = nil, what: String = "vectors"
    ) throws(IndexError) -> [Float] {
        guard vectors.count % dimension == 0 else {
            throw IndexError(
                .dimensionMismatch,
                "\(what) hold \(vectors.count) floats, not a multiple of the index dimension \(dimension); pass n × \(dimension) floats, row-major.")
        }
        let n = vectors.count / dimension
        if let expected, n != expected {
            throw IndexError(
                .dimensionMismatch,
                "\(what) hold \(n) vectors of dimension \(dimension) but \(expected) were expected; pass exactly \(expected) × \(dimension) floats.")
        }
        for (i, value) in vectors.enumerated() where !value.isFinite {
            throw IndexError(
                .invalidVector,
                "\(what) row \(i / dimension) holds \(value) at component \(i % dimension); replace NaN and infinite values before indexing.")
        }
        guard metric.normalises else { return vectors }
        var out = vectors
        for row in 0..<n {
            var sum: Float = 0
            for d in 0..<dimension {
                let v = out[row * dimension + d]
                sum += v * v
            }
            let norm = sum.squareRoot()
            guard norm > 0, norm.isFinite else {
                throw IndexError(
                    .invalidVector, "\(what) row \(row) has zero length; cosine similarity needs a non-zero vector.")
            }
            let scale = 1 / norm
            for d in 0..<dimension { out[row * dimension + d] *= scale }
        }
        return out
    }

    /// Checks that there is one id per vector and no id repeats within the call.
    static func checkIDs(_ ids: [UInt64], vectorCount: Int) throws(IndexError) {
        guard ids.count == vectorCount else {
            throw IndexError(.invalidIDs, "\(ids.count) ids for \(vectorCount) vectors; pass one id per vector.")
        }
        var seen = Set<UInt64>(minimumCapacity: ids.count)
        for id in ids where !seen.insert(id).inserted {
            throw IndexError(.invalidIDs, "id \(id) appears twice in one call; each vector needs its own id.")
        }
    }
}
