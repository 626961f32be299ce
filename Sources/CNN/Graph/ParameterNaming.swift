/// Maps a node name and a parameter role to a tensor name in a weights file, so one graph can read
/// weights exported by different frameworks.
public struct ParameterNaming: Sendable {
    public let name: @Sendable (_ node: String, _ operation: Operation, _ role: ParameterRole) -> String

    public init(_ name: @escaping @Sendable (_ node: String, _ operation: Operation, _ role: ParameterRole) -> String) {
        self.name = name
    }

    /// `node.weight`, `node.bias`, `node.gamma`, `node.beta`, `node.mean`, `node.variance`.
    public static let dotted = ParameterNaming { node, _, role in "\(node).\(role.rawValue)" }

    /// PyTorch state-dict names: `node.weight`, `node.bias`, and for BatchNorm `node.weight`,
    /// `node.bias`, `node.running_mean`, `node.running_var`.
    public static let pytorch = ParameterNaming { node, _, role in
        switch role {
        case .weight, .gamma: "\(node).weight"
        case .bias, .beta: "\(node).bias"
        case .mean: "\(node).running_mean"
        case .variance: "\(node).running_var"
        }
    }

    /// Keras names: `layer/kernel` (`layer/depthwise_kernel` for a depthwise convolution with
    /// multiplier 1, as `DepthwiseConv2D` exports it),
    /// `layer/bias`, `layer/gamma`, `layer/beta`, `layer/moving_mean`, `layer/moving_variance`.
    public static let keras = ParameterNaming { node, operation, role in
        switch role {
        case .weight:
            if case .conv2d(let conv) = operation, conv.groups > 1, conv.groups == conv.outputChannels {
                return "\(node)/depthwise_kernel"
            }
            return "\(node)/kernel"
        case .bias: return "\(node)/bias"
        case .gamma: return "\(node)/gamma"
        case .beta: return "\(node)/beta"
        case .mean: return "\(node)/moving_mean"
        case .variance: return "\(node)/moving_variance"
        }
    }
}
