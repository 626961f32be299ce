/// A fully connected layer on the flattened sample: `y[n, o] = act(bias[o] + Σ_i x[n, i] · w[i, o])`.
/// Weight `[inputs, units]` (Keras's layout), optional bias `[units]`. The input may be any
/// `[N, H, W, C]`; it is read in NHWC order (`inputs = H·W·C`). Output `[N, 1, 1, units]`.
public struct Dense: Sendable, Hashable {
    public var units: Int
    public var hasBias: Bool
    public var activation: Activation

    public init(units: Int, hasBias: Bool = true, activation: Activation = .none) {
        self.units = units
        self.hasBias = hasBias
        self.activation = activation
    }
}
