/// A 1×1 convolution (stride 1, no padding, one group) through `PackedGEMM`:
/// `out[M×N] = act(in[M×K] · W[K×N] + bias)` with `M = batch·H·W`, `K = Cin`, `N = Cout`, reading
/// the NHWC input in place (its rows are contiguous) and fusing bias and activation.
///
/// It wins over OpenBLAS on the network's small-K shapes only when the compiler may use the CPU's
/// vector extensions (`-Xswiftc -target-cpu …`); `KernelCalibration` measures which one to use.
struct PackedPointwiseConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters
    let gemm: PackedGEMM

    init(parameters: ConvolutionParameters, fused: Bool) {
        self.init(
            parameters: parameters,
            gemm: PackedGEMM(
                weights: parameters.weights, k: parameters.inputChannels, n: parameters.outputChannels,
                ldb: parameters.outputChannels, bias: parameters.epilogue.bias.map { $0[...] }, fused: fused))
    }

    /// With the weights and bias already packed into `gemm` (K = Cin, N = Cout).
    init(parameters: ConvolutionParameters, gemm: PackedGEMM) {
        self.gemm = gemm
        var p = parameters
        p.weights = .empty
        p.epilogue.bias = nil
        self.parameters = p
    }

    var preparedParameters: [PreparedParameter] { gemm.preparedParameters() }

    func run(batch: Int, _ io: KernelIO) {
        let n = parameters.outputChannels
        gemm.multiply(
            io.input(0), lda: parameters.inputChannels, rows: batch &* parameters.outputPixelsPerSample,
            into: io.output, ldc: n, activation: parameters.epilogue.activation)
    }
}
