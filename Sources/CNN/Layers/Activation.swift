/// Element-wise activation functions. Fused into the producing kernel's output pass when the
/// network is planned.
public enum Activation: String, Sendable, Hashable, CaseIterable {
    case none
    case relu
    /// `min(max(x, 0), 6)`.
    case relu6
    /// `1 / (1 + e^−x)`.
    case sigmoid
    /// `x · sigmoid(x)` (also called swish).
    case silu
    /// `x · relu6(x + 3) / 6`.
    case hardSwish = "hardswish"

    /// The scalar definition; kernels use it for remainders and the naive path.
    @inlinable
    public func apply(_ x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .sigmoid: return 1 / (1 + _exp(-x))
        case .silu: return x / (1 + _exp(-x))
        case .hardSwish: return x * min(max(x + 3, 0), 6) / 6
        }
    }
}

@usableFromInline
func _exp(_ x: Float) -> Float {
    #if canImport(Glibc)
    return Glibc.expf(x)
    #else
    return Darwin.expf(x)
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
