/// Batch normalisation at inference: `y = gamma · (x − mean) / sqrt(variance + epsilon) + beta`
/// per channel. Parameters `gamma`, `beta`, `mean`, `variance`, each `[C]`.
/// Folded into the preceding convolution when that convolution feeds nothing else.
public struct BatchNorm: Sendable, Hashable {
    public var epsilon: Float
    public init(epsilon: Float = 1e-3) { self.epsilon = epsilon }
}
