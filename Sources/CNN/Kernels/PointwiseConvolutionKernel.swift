/// A 1×1, stride-1, unpadded, ungrouped convolution: in NHWC it is one GEMM
/// `[N·H·W, Cin] × [Cin, Cout]` straight on the input buffer, with no copy.
struct PointwiseConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters

    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", parameters.weights)] + (parameters.epilogue.bias.map { [PreparedParameter("bias", ParameterStorage($0))] } ?? [])
    }

    func run(batch: Int, _ io: KernelIO) {
        let p = parameters
        let m = batch * p.outputPixelsPerSample
        p.weights.withUnsafeBufferPointer { w in
            BLAS.sgemm(
                m: m, n: p.outputChannels, k: p.inputChannels,
                a: io.input(0), lda: p.inputChannels,
                b: w.baseAddress!, ldb: p.outputChannels,
                c: io.output, ldc: p.outputChannels)
        }
        p.epilogue.apply(io.output, rows: m, columns: p.outputChannels, rowStride: p.outputChannels)
    }
}
