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
        /// Our packed-weight SIMD micro-kernels, bias and activation fused.
        case simd
        /// Whichever is fastest in this process, measured once (`KernelCalibration`).
        case automatic
    }

    /// How our SIMD kernels compute `acc + a · b`.
    public enum MultiplyAdd: String, Sendable, Hashable, CaseIterable {
        /// A multiply, then an add: fast on every CPU.
        case separate
        /// One fused multiply-add, rounded once: one instruction when the build targets FMA
        /// (`-Xcc -march=x86-64-v3` or higher, arm64), a library call per lane otherwise.
        case fused
    }

    /// How many float lanes our SIMD kernels' vectors have.
    public enum VectorLanes: Int, Sendable, Hashable, CaseIterable {
        /// 8 lanes: one AVX2 register.
        case eight = 8
        /// 16 lanes: one AVX-512 register, with tiles that use its 32 registers. Correct on every
        /// CPU, fast only in builds for AVX-512 (`-Xcc -march=x86-64-v4`).
        case sixteen = 16
    }

    public var kernels: Kernels
    public var pointwise: PointwiseKernel
    /// `nil`: fused exactly when this build compiles it to one instruction (`InstructionSet`).
    /// Tests set it to run both forms on any machine.
    public var multiplyAdd: MultiplyAdd?
    /// `nil`: the faster in this process, measured once per kernel family (`KernelCalibration`).
    public var vectorLanes: VectorLanes?
    /// Fold a BatchNorm into the convolution before it when that convolution feeds nothing else.
    public var foldBatchNorm: Bool
    /// Fuse an activation into the kernel that produces its input when nothing else reads it.
    public var fuseActivations: Bool

    public init(
        kernels: Kernels = .fast, pointwise: PointwiseKernel = .automatic, multiplyAdd: MultiplyAdd? = nil,
        vectorLanes: VectorLanes? = nil, foldBatchNorm: Bool = true, fuseActivations: Bool = true
    ) {
        self.kernels = kernels
        self.pointwise = pointwise
        self.multiplyAdd = multiplyAdd
        self.vectorLanes = vectorLanes
        self.foldBatchNorm = foldBatchNorm
        self.fuseActivations = fuseActivations
    }

    public static let reference = PlanOptions(kernels: .reference, foldBatchNorm: false, fuseActivations: false)
}
