/// Choices made when a graph is planned into a `Network`.
public struct PlanOptions: Sendable, Hashable {
    public enum Kernels: Sendable, Hashable {
        /// GEMM-based and SIMD kernels, BatchNorm folded, activations fused.
        case fast
        /// The naive kernel of every op (accumulating in Double where it sums), nothing folded or
        /// fused: the oracle the fast plan is tested against. Orders of magnitude slower.
        case reference
    }

    /// How 1×1 convolutions (and the GEMM after im2col of the others) multiply.
    public enum PointwiseKernel: String, Sendable, Hashable, CaseIterable {
        /// OpenBLAS `sgemm` on the NHWC buffer, then the bias/activation pass.
        case blas
        /// Our packed-weight 6×16 SIMD micro-kernel, epilogue fused, separate multiply and add.
        case simd
        /// The same with fused multiply-adds: the fastest when the compiler may target FMA
        /// (`-Xswiftc -target-cpu …`), very slow when it may not.
        case simdFused = "simd-fused"
        /// Whichever is fastest in this process, measured once (`KernelCalibration`).
        case automatic
    }

    public var kernels: Kernels
    public var pointwise: PointwiseKernel
    /// Fold a BatchNorm into the convolution before it when that convolution feeds nothing else.
    public var foldBatchNorm: Bool
    /// Fuse an activation into the kernel that produces its input when nothing else reads it.
    public var fuseActivations: Bool

    public init(
        kernels: Kernels = .fast, pointwise: PointwiseKernel = .automatic, foldBatchNorm: Bool = true,
        fuseActivations: Bool = true
    ) {
        self.kernels = kernels
        self.pointwise = pointwise
        self.foldBatchNorm = foldBatchNorm
        self.fuseActivations = fuseActivations
    }

    public static let reference = PlanOptions(kernels: .reference, foldBatchNorm: false, fuseActivations: false)
}
