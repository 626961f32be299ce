/// Max or average pooling over a window, per channel.
///
/// Padded positions never count for max pooling. For average pooling,
/// `countIncludesPadding == false` divides by the number of input positions inside the window
/// (TensorFlow's rule); `true` divides by `kernelHeight · kernelWidth` (PyTorch's default).
public struct Pool2D: Sendable, Hashable {
    public var kernel: (height: Int, width: Int)
    public var stride: (y: Int, x: Int)
    public var padding: Padding
    public var countIncludesPadding: Bool

    public init(kernel: (Int, Int), stride: (Int, Int), padding: Padding = .valid, countIncludesPadding: Bool = false) {
        self.kernel = (kernel.0, kernel.1)
        self.stride = (stride.0, stride.1)
        self.padding = padding
        self.countIncludesPadding = countIncludesPadding
    }

    public static func == (a: Pool2D, b: Pool2D) -> Bool {
        a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding
            && a.countIncludesPadding == b.countIncludesPadding
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kernel.height)
        hasher.combine(kernel.width)
        hasher.combine(stride.y)
        hasher.combine(stride.x)
        hasher.combine(padding)
        hasher.combine(countIncludesPadding)
    }

    func geometry(input: Shape) -> WindowGeometry? {
        WindowGeometry(
            inputHeight: input.height, inputWidth: input.width, kernel: (kernel.height, kernel.width),
            stride: (stride.y, stride.x), dilation: (1, 1), padding: padding)
    }
}
