/// Choices made when a graph is planned into a `Network`.
public struct PlanOptions: Sendable, Hashable {
    public enum Kernels: Sendable, Hashable {
        /// GEMM-based and SIMD kernels, BatchNorm folded, activations fused.
        case fast
        /// The naive kernel of every op (accumulating in Double where it sums), nothing folded or
        /// fused: the oracle the fast plan is tested against. Orders of magnitude slower.
        case reference
    }

    public var kernels: Kernels
    /// Fold a BatchNorm into the convolution before it when that convolution feeds nothing else.
    public var foldBatchNorm: Bool
    /// Fuse an activation into the kernel that produces its input when nothing else reads it.
    public var fuseActivations: Bool

    public init(kernels: Kernels = .fast, foldBatchNorm: Bool = true, fuseActivations: Bool = true) {
        self.kernels = kernels
        self.foldBatchNorm = foldBatchNorm
        self.fuseActivations = fuseActivations
    }

    public static let reference = PlanOptions(kernels: .reference, foldBatchNorm: false, fuseActivations: false)
}
