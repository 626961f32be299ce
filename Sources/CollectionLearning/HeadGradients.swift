/// One minibatch's training forward and backward pass through the head: the mean softmax
/// cross-entropy and its gradient with respect to every parameter.
///
/// Forward: `z1 = x·W1 + b1`, `a = ReLU(z1)`, `h = a ⊙ keep / (1 − dropout)` (inverted
/// dropout: the keep mask is given, so a reference can replay it), `logits = h·W2 + b2`,
/// `loss = mean(−log softmax(logits)[label])`. Backward: `g = (softmax − onehot) / rows`,
/// `∂W2 = hᵀ·g`, `∂b2 = Σ g`, `∂h = g·W2ᵀ`, `∂z1 = ∂h ⊙ keep / (1 − dropout) ⊙ [z1 > 0]`,
/// `∂W1 = xᵀ·∂z1`, `∂b1 = Σ ∂z1`. Every product is one OpenBLAS GEMM.
public struct HeadGradients: Sendable, Equatable {
    public var loss: Double
    public var w1: [Float]
    public var b1: [Float]
    public var w2: [Float]
    public var b2: [Float]

    var tensors: [[Float]] { [w1, b1, w2, b2] }

    /// - Parameters:
    ///   - x: `[labels.count, inputDimension]`, the minibatch's inputs.
    ///   - keep: `[labels.count, hiddenDimension]` of 0 and 1, or nil for no dropout.
    public init(parameters p: HeadParameters, x: [Float], labels: [Int], keep: [Float]?, dropout: Float) {
        let rows = labels.count
        let (inputs, hiddenUnits, classes) = (p.inputDimension, p.hiddenDimension, p.classCount)
        precondition(x.count == rows * inputs && (keep?.count ?? rows * hiddenUnits) == rows * hiddenUnits, "minibatch sizes")
        let scale = 1 / (1 - dropout)
        var z1 = [Float](repeating: 0, count: rows * hiddenUnits)
        HeadKernels.multiply(x, p.w1, into: &z1, m: rows, n: hiddenUnits, k: inputs)
        var hidden = z1
        for row in 0..<rows {
            let base = row * hiddenUnits
            for unit in 0..<hiddenUnits {
                z1[base + unit] += p.b1[unit]
                let active = max(z1[base + unit], 0)
                hidden[base + unit] = keep.map { active * $0[base + unit] * scale } ?? active
            }
        }
        var g = p.logits(hidden: hidden, rows: rows)
        loss = Softmax.crossEntropyGradient(&g, labels: labels, columns: classes)

        w2 = [Float](repeating: 0, count: hiddenUnits * classes)
        HeadKernels.multiply(hidden, transposeA: true, g, into: &w2, m: hiddenUnits, n: classes, k: rows)
        b2 = Self.columnSums(g, rows: rows, columns: classes)
        var dz1 = [Float](repeating: 0, count: rows * hiddenUnits)
        HeadKernels.multiply(g, p.w2, transposeB: true, into: &dz1, m: rows, n: hiddenUnits, k: classes)
        for index in dz1.indices {
            let masked = keep.map { dz1[index] * $0[index] * scale } ?? dz1[index]
            dz1[index] = z1[index] > 0 ? masked : 0
        }
        w1 = [Float](repeating: 0, count: inputs * hiddenUnits)
        HeadKernels.multiply(x, transposeA: true, dz1, into: &w1, m: inputs, n: hiddenUnits, k: rows)
        b1 = Self.columnSums(dz1, rows: rows, columns: hiddenUnits)
    }

    static func columnSums(_ matrix: [Float], rows: Int, columns: Int) -> [Float] {
        var sums = [Float](repeating: 0, count: columns)
        for row in 0..<rows {
            for column in 0..<columns { sums[column] += matrix[row * columns + column] }
        }
        return sums
    }
}
