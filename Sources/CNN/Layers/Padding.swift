/// How a sliding window (convolution or pooling) treats the border.
public enum Padding: Sendable, Hashable {
    /// No padding: the window only visits positions that fit entirely.
    case valid
    /// TensorFlow "SAME": the output is `ceil(input / stride)`; the total padding needed is split
    /// with the smaller half at the top/left and the extra row/column at the bottom/right.
    case same
    /// Explicit amounts on each side (PyTorch-style symmetric padding is `top == bottom`,
    /// `left == right`; Keras `ZeroPadding2D` before a "valid" convolution is asymmetric).
    case explicit(top: Int, left: Int, bottom: Int, right: Int)

    /// The same amount on every side.
    public static func symmetric(_ amount: Int) -> Padding {
        .explicit(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// The resolved amounts for one input size, or `nil` when a side is negative.
    func resolve(
        inputHeight: Int, inputWidth: Int, kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int)
    ) -> ResolvedPadding? {
        switch self {
        case .valid:
            return ResolvedPadding(top: 0, left: 0, bottom: 0, right: 0)
        case .same:
            func split(_ size: Int, _ k: Int, _ s: Int, _ d: Int) -> (Int, Int) {
                let out = (size + s - 1) / s
                let total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
                return (total / 2, total - total / 2)
            }
            let (top, bottom) = split(inputHeight, kernel.0, stride.0, dilation.0)
            let (left, right) = split(inputWidth, kernel.1, stride.1, dilation.1)
            return ResolvedPadding(top: top, left: left, bottom: bottom, right: right)
        case .explicit(let top, let left, let bottom, let right):
            guard top >= 0, left >= 0, bottom >= 0, right >= 0 else { return nil }
            return ResolvedPadding(top: top, left: left, bottom: bottom, right: right)
        }
    }
}

/// Padding amounts for a known input size.
struct ResolvedPadding: Sendable, Hashable {
    var top: Int
    var left: Int
    var bottom: Int
    var right: Int

    var isZero: Bool { top == 0 && left == 0 && bottom == 0 && right == 0 }
}
