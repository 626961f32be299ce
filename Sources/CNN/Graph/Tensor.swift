/// A dense Float32 tensor in NHWC layout. Element `(n, y, x, c)` is at
/// `((n · height + y) · width + x) · channels + c`.
public struct Tensor: Sendable, Equatable {
    public let shape: Shape
    public private(set) var scalars: [Float]

    public init(shape: Shape, scalars: [Float]) throws(CNNError) {
        guard shape.isPositive else {
            throw CNNError(.invalidShape, "Tensor shape \(shape) has a zero or negative dimension; every dimension must be ≥ 1.")
        }
        guard scalars.count == shape.elementCount else {
            throw CNNError(
                .invalidShape,
                "Tensor shape \(shape) needs \(shape.elementCount) scalars but \(scalars.count) were given.")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: Shape) {
        precondition(shape.isPositive, "Tensor shape \(shape) must be positive")
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.elementCount)
    }

    public subscript(n: Int, y: Int, x: Int, c: Int) -> Float {
        get { scalars[((n * shape.height + y) * shape.width + x) * shape.channels + c] }
        set { scalars[((n * shape.height + y) * shape.width + x) * shape.channels + c] = newValue }
    }

    /// The scalars of sample `n`.
    public func sample(_ n: Int) -> ArraySlice<Float> {
        let count = shape.elementsPerSample
        return scalars[(n * count)..<((n + 1) * count)]
    }
}
