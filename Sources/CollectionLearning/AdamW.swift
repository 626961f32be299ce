import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter), step for step as PyTorch's
/// `torch.optim.AdamW` computes it: `θ ← θ·(1 − lr·λ)`, `m ← m + (1 − β1)(g − m)`,
/// `v ← β2·v + (1 − β2)·g²`, `θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)`.
/// Weight decay applies to the weight matrices only, never to the biases.
public struct AdamW: Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// Steps taken so far (`t`).
    public private(set) var step = 0
    private var first: [[Float]] = []
    private var second: [[Float]] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 1e-2) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// One update of `parameters` along `gradients`.
    public mutating func update(_ parameters: inout HeadParameters, with gradients: HeadGradients) {
        let grads = gradients.tensors
        if first.isEmpty {
            first = parameters.tensors.map { [Float](repeating: 0, count: $0.count) }
            second = first
        }
        step += 1
        // The bias corrections in Double, as PyTorch computes its Python-float scalars.
        let correction1 = 1 - pow(Double(beta1), Double(step))
        let correction2Root = (1 - pow(Double(beta2), Double(step))).squareRoot()
        let stepSize = Float(Double(learningRate) / correction1)
        let correction2 = Float(correction2Root)
        let order: [WritableKeyPath<HeadParameters, [Float]>] = [\.w1, \.b1, \.w2, \.b2]
        for (t, tensor) in order.enumerated() {
            // Tensors 0 and 2 are the weight matrices; 1 and 3 the biases.
            let decay = t % 2 == 0 ? 1 - learningRate * weightDecay : 1
            HeadKernels.adamW(
                &parameters[keyPath: tensor], first: &first[t], second: &second[t], gradient: grads[t], decay: decay, beta1: beta1, beta2: beta2,
                stepSize: stepSize, correction2: correction2, epsilon: epsilon)
        }
    }
}
