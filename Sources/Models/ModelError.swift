import CNN

/// An error from locating, loading or running a built-in model.
///
/// `code` is stable and meant for programs (switch with a `default`: codes may be added);
/// `message` is for people and says what was wrong and what to do next. When the CNN runtime
/// rejected something, `underlying` carries its error.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No weights file at the path given, or no `Weights/` directory could be found.
        case weightsNotFound
        /// The weights file is unreadable or does not fit the architecture (missing, extra or
        /// misshapen tensors).
        case invalidWeights
        /// The labels file is unreadable, or its line count differs from the model's classes.
        case invalidLabels
        /// An input tensor or batch does not fit the model (shape, empty batch).
        case invalidInput
        /// The architecture cannot be built with the parameters given, or a model was assembled
        /// with outputs its network does not have.
        case invalidConfiguration
    }

    public let code: Code
    public let message: String
    /// The runtime's error, when the failure came from the CNN runtime.
    public let underlying: CNNError?

    public init(_ code: Code, _ message: String, underlying: CNNError? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
