/// The shape of an NHWC tensor: `batch × height × width × channels`, channels fastest in memory.
///
/// A vector (the input or output of `Dense`, `Softmax`) is `[N, 1, 1, C]`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(batch: Int = 1, height: Int, width: Int, channels: Int) {
        self.batch = batch
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// A `[N, 1, 1, C]` vector shape.
    public static func vector(batch: Int = 1, _ channels: Int) -> Shape {
        Shape(batch: batch, height: 1, width: 1, channels: channels)
    }

    /// Elements of one sample: `height · width · channels`.
    public var elementsPerSample: Int { height * width * channels }

    /// Elements of the whole tensor.
    public var elementCount: Int { batch * elementsPerSample }

    /// The same per-sample shape with another batch size.
    public func withBatch(_ batch: Int) -> Shape {
        Shape(batch: batch, height: height, width: width, channels: channels)
    }

    public var description: String { "[\(batch), \(height), \(width), \(channels)]" }

    var isPositive: Bool { batch > 0 && height > 0 && width > 0 && channels > 0 }
}
