/// The weights of the original design's classifier head over a backbone's embedding:
/// `hidden = ReLU(x·W1 + b1)` (`hiddenDimension` units, the 512-D embedding of the design),
/// then `logits = hidden·W2 + b2` (one per category). Matrices are row-major `[in, out]`.
public struct HeadParameters: Sendable, Equatable {
    public let inputDimension: Int
    public let hiddenDimension: Int
    public let classCount: Int
    /// `[inputDimension, hiddenDimension]`.
    public var w1: [Float]
    /// `[hiddenDimension]`.
    public var b1: [Float]
    /// `[hiddenDimension, classCount]`.
    public var w2: [Float]
    /// `[classCount]`.
    public var b2: [Float]

    /// Parameters with the given values; the sizes must agree with the dimensions.
    public init(inputDimension: Int, hiddenDimension: Int, classCount: Int, w1: [Float], b1: [Float], w2: [Float], b2: [Float]) {
        precondition(w1.count == inputDimension * hiddenDimension && b1.count == hiddenDimension, "hidden layer sizes")
        precondition(w2.count == hiddenDimension * classCount && b2.count == classCount, "output layer sizes")
        self.inputDimension = inputDimension
        self.hiddenDimension = hiddenDimension
        self.classCount = classCount
        self.w1 = w1
        self.b1 = b1
        self.w2 = w2
        self.b2 = b2
    }

    /// PyTorch's default `Linear` initialisation (uniform in ±1/√fan_in for weights and biases),
    /// drawn from `generator`.
    public init<G: RandomNumberGenerator>(inputDimension: Int, hiddenDimension: Int, classCount: Int, using generator: inout G) {
        func uniform(_ count: Int, fanIn: Int) -> [Float] {
            let bound = 1 / Float(fanIn).squareRoot()
            return (0..<count).map { _ in Float.random(in: -bound...bound, using: &generator) }
        }
        self.init(
            inputDimension: inputDimension, hiddenDimension: hiddenDimension, classCount: classCount,
            w1: uniform(inputDimension * hiddenDimension, fanIn: inputDimension), b1: uniform(hiddenDimension, fanIn: inputDimension),
            w2: uniform(hiddenDimension * classCount, fanIn: hiddenDimension), b2: uniform(classCount, fanIn: hiddenDimension))
    }

    /// The parameter tensors in a fixed order (`w1, b1, w2, b2`), for the optimiser.
    var tensors: [[Float]] { [w1, b1, w2, b2] }

    /// `ReLU(x·W1 + b1)` for `rows` inputs (`x`: `[rows, inputDimension]`), `[rows, hiddenDimension]`.
    func hidden(_ x: [Float], rows: Int) -> [Float] {
        var z = [Float](repeating: 0, count: rows * hiddenDimension)
        HeadKernels.multiply(x, w1, into: &z, m: rows, n: hiddenDimension, k: inputDimension)
        for row in 0..<rows {
            let base = row * hiddenDimension
            for unit in 0..<hiddenDimension { z[base + unit] = max(z[base + unit] + b1[unit], 0) }
        }
        return z
    }

    /// `hidden·W2 + b2`, `[rows, classCount]`.
    func logits(hidden: [Float], rows: Int) -> [Float] {
        var logits = [Float](repeating: 0, count: rows * classCount)
        HeadKernels.multiply(hidden, w2, into: &logits, m: rows, n: classCount, k: hiddenDimension)
        for row in 0..<rows {
            for category in 0..<classCount { logits[row * classCount + category] += b2[category] }
        }
        return logits
    }
}
