/// A 1×1 convolution (stride 1, no padding, one group) through `PackedGEMM`:
/// `out[M×N] = act(in[M×K] · W[K×N] + bias)` with `M = batch·H·W`, `K = Cin`, `N = Cout`, reading
/// the NHWC input in place (its rows are contiguous) and fusing bias and activation.
///
/// It wins over OpenBLAS on the network's small-K shapes only when the compiler may use the CPU's
/// vector extensions (`-Xcc -march=…`); `KernelCalibration` measures which one to use.
struct PackedPointwiseConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters
    let gemm: PackedGEMM

    init(parameters: ConvolutionParameters, variant: SIMDVariant) {
        self.init(
            parameters: parameters,
            gemm: PackedGEMM(
                weights: parameters.weights, k: parameters.inputChannels, n: parameters.outputChannels,
                ldb: parameters.outputChannels, bias: parameters.epilogue.bias.map { $0[...] }, variant: variant))
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

    /// With the GEMM packed by an earlier plan (`preparedParameters`).
    init(parameters: ConvolutionParameters, variant: SIMDVariant, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        self.init(
            parameters: parameters,
            gemm: try PackedGEMM(k: parameters.inputChannels, n: parameters.outputChannels, variant: variant, reading: reader))
    }

    func run(batch: Int, _ io: KernelIO) {
        let rows = batch &* parameters.outputPixelsPerSample
        let parts = min(io.threads, max(rows / gemm.rowsPerBlock, gemm.panels / gemm.panelsPerBlock))
        // Many rows: each thread takes a band of rows (whole 6-row blocks) and every panel. Few
        // rows (7×7 and 14×14 maps, whose weights are the larger operand): each takes a band of
        // panels, so it streams only its share of the weights.
        let byRows = rows >= 256 || gemm.panels / gemm.panelsPerBlock < parts
        KernelParallelism.run(
            parts: max(1, parts),
            Bands(gemm: gemm, input: io.input(0), output: io.output, k: parameters.inputChannels, n: parameters.outputChannels,
                  rows: rows, activation: parameters.epilogue.activation, byRows: byRows))
    }

    /// One run's product cut into bands of rows or of panels.
    private struct Bands: PartitionedWork {
        let gemm: PackedGEMM
        let input: UnsafePointer<Float>
        let output: UnsafeMutablePointer<Float>
        let k: Int
        let n: Int
        let rows: Int
        let activation: Activation
        let byRows: Bool

        func run(part: Int, of parts: Int) {
            if byRows {
                let band = KernelParallelism.range(rows, part: part, of: parts, alignment: gemm.rowsPerBlock)
                gemm.multiply(
                    input + band.lowerBound &* k, lda: k, rows: band.count, into: output + band.lowerBound &* n, ldc: n,
                    activation: activation)
            } else {
                let panels = KernelParallelism.range(gemm.panels, part: part, of: parts, alignment: gemm.panelsPerBlock)
                gemm.multiply(input, lda: k, rows: rows, into: output, ldc: n, activation: activation, panels: panels)
            }
        }
    }
}
