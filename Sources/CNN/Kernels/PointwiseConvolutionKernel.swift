/// A 1×1, stride-1, unpadded, ungrouped convolution: in NHWC it is one GEMM
/// `[N·H·W, Cin] × [Cin, Cout]` straight on the input buffer, with no copy. Split across threads
/// (`KernelParallelism`) by bands of rows, each its own OpenBLAS call on one thread.
struct PointwiseConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters

    init(parameters: ConvolutionParameters) {
        self.parameters = parameters
    }

    /// With the (folded) weights and bias of an earlier plan.
    init(parameters: ConvolutionParameters, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        var p = parameters
        p.weights = try reader.storage("weights", count: p.inputChannels * p.outputChannels)
        p.epilogue.bias = try reader.optionalValues("bias", count: p.outputChannels)
        self.init(parameters: p)
    }

    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", parameters.weights)] + (parameters.epilogue.bias.map { [PreparedParameter("bias", ParameterStorage($0))] } ?? [])
    }

    /// Rows per band below which a split costs more than it saves.
    static let minimumRowsPerPart = 32

    func run(batch: Int, _ io: KernelIO) {
        let rows = batch &* parameters.outputPixelsPerSample
        let parts = max(1, min(io.threads, rows / Self.minimumRowsPerPart))
        KernelParallelism.run(parts: parts, Bands(kernel: self, input: io.input(0), output: io.output, rows: rows))
    }

    /// One run's product cut into bands of rows.
    private struct Bands: PartitionedWork {
        let kernel: PointwiseConvolutionKernel
        let input: UnsafePointer<Float>
        let output: UnsafeMutablePointer<Float>
        let rows: Int

        func run(part: Int, of parts: Int) {
            let p = kernel.parameters
            let band = KernelParallelism.range(rows, part: part, of: parts)
            guard !band.isEmpty else { return }
            let k = p.inputChannels
            let n = p.outputChannels
            p.weights.withUnsafeBufferPointer { w in
                BLAS.sgemm(
                    m: band.count, n: n, k: k, a: input + band.lowerBound &* k, lda: k, b: w.baseAddress!, ldb: n,
                    c: output + band.lowerBound &* n, ldc: n)
            }
            p.epilogue.apply(output + band.lowerBound &* n, rows: band.count, columns: n, rowStride: n)
        }
    }
}
