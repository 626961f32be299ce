/// What a graph node computes. Parameters are named by the node and a `ParameterRole`.
public enum Operation: Sendable, Hashable {
    case conv2d(Conv2D)
    case batchNorm(BatchNorm)
    case activation(Activation)
    case maxPool(Pool2D)
    case avgPool(Pool2D)
    /// Mean over height and width: `[N, H, W, C] → [N, 1, 1, C]`.
    case globalAvgPool
    case dense(Dense)
    /// Softmax over the channel axis, computed stably (`exp(x − max)`).
    case softmax
    /// Element-wise sum of two or more inputs of one shape, then `activation`.
    case add(activation: Activation)
    /// Concatenation along channels; inputs share batch, height and width.
    case concat
    /// `[N, H, W, C] → [N, 1, 1, H·W·C]`, keeping NHWC memory order (Keras `Flatten` on NHWC).
    case flatten
    /// A new per-sample shape with the same element count and memory order.
    case reshape(height: Int, width: Int, channels: Int)
    /// Identity at inference.
    case dropout(rate: Float)

    /// A short name for messages.
    public var kind: String {
        switch self {
        case .conv2d: "conv2d"
        case .batchNorm: "batchnorm"
        case .activation: "activation"
        case .maxPool: "maxpool"
        case .avgPool: "avgpool"
        case .globalAvgPool: "globalavgpool"
        case .dense: "dense"
        case .softmax: "softmax"
        case .add: "add"
        case .concat: "concat"
        case .flatten: "flatten"
        case .reshape: "reshape"
        case .dropout: "dropout"
        }
    }
}

/// The parameters a node reads from the weights file.
public enum ParameterRole: String, Sendable, CaseIterable {
    /// Convolution kernel `[kh, kw, Cin/G, Cout]` or dense weight `[in, units]`.
    case weight
    case bias
    case gamma
    case beta
    case mean
    case variance
}
