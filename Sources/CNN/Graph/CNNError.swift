/// An error from building, planning or running a network. `message` says what was expected,
/// what was found and what to change; `layer` names the node when one is involved.
public struct CNNError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A shape with a non-positive dimension, or a scalar count that does not match it.
        case invalidShape
        /// A layer's configuration is impossible (kernel < 1, groups not dividing channels, …).
        case invalidConfiguration
        /// The inputs of a layer do not fit it (wrong channel count, mismatched shapes, output ≤ 0).
        case shapeMismatch
        /// A node refers to a node that does not exist, or two nodes share a name.
        case invalidGraph
        /// A weight tensor is missing, unused, has the wrong shape or holds NaN/Inf.
        case invalidWeights
        /// `run` was given inputs that do not match the network's inputs or the workspace.
        case invalidInput
    }

    public let code: Code
    public let layer: String?
    public let message: String
    /// The loader's error, when `code == .invalidWeights`.
    public let weightsError: WeightsError?

    public init(_ code: Code, layer: String? = nil, _ message: String, weightsError: WeightsError? = nil) {
        self.code = code
        self.layer = layer
        self.message = message
        self.weightsError = weightsError
    }

    public var description: String {
        if let layer { return "\(code.rawValue) at layer '\(layer)': \(message)" }
        return "\(code.rawValue): \(message)"
    }
}
