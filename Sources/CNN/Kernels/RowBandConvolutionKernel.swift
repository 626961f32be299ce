/// A convolution whose output rows (those of every sample, one after another) can be computed
/// in independent bands — the direct and depthwise kernels. `run` cuts them into
/// `io.threads` bands (`KernelParallelism`); ReLU and ReLU6 are applied before each band's
/// stores, the other activations over the whole output once every band is done.
protocol RowBandConvolutionKernel: ConvolutionKernel {
    /// This kernel's bands: a non-generic type per kernel. A helper thread reaches the work
    /// through its type's conformance, and a generic wrapper's conformance ran the kernels'
    /// loops unspecialised there (two threads slower than one).
    associatedtype Bands: OutputRowBands where Bands.Kernel == Self

    /// Computes output rows `outputRows` (row `n · outH + oy` is row `oy` of sample `n`),
    /// applying `A` before the store.
    func computeRows<A: VectorActivation>(batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _ activation: A.Type)
}

extension RowBandConvolutionKernel {
    func run(batch: Int, _ io: KernelIO) {
        let total = batch &* parameters.geometry.outputHeight
        KernelParallelism.run(parts: max(1, min(io.threads, total)), Bands(kernel: self, batch: batch, io: io))
        switch parameters.epilogue.activation {
        case .sigmoid, .silu, .hardSwish:
            let c = parameters.outputChannels
            Epilogue(bias: nil, activation: parameters.epilogue.activation)
                .apply(io.output, rows: batch * parameters.outputPixelsPerSample, columns: c, rowStride: c)
        case .none, .relu, .relu6:
            break
        }
    }
}

/// The output rows of one run of a `RowBandConvolutionKernel`, cut into bands.
protocol OutputRowBands: PartitionedWork {
    associatedtype Kernel: RowBandConvolutionKernel
    var kernel: Kernel { get }
    var batch: Int { get }
    var io: KernelIO { get }
    init(kernel: Kernel, batch: Int, io: KernelIO)
}

extension OutputRowBands {
    func run(part: Int, of parts: Int) {
        let rows = KernelParallelism.range(batch &* kernel.parameters.geometry.outputHeight, part: part, of: parts)
        switch kernel.parameters.epilogue.activation {
        case .relu: kernel.computeRows(batch: batch, io, rows, ReLUActivation.self)
        case .relu6: kernel.computeRows(batch: batch, io, rows, ReLU6Activation.self)
        case .none, .sigmoid, .silu, .hardSwish: kernel.computeRows(batch: batch, io, rows, IdentityActivation.self)
        }
    }
}

extension Range<Int> {
    /// Which of these output rows (of the whole batch) belong to sample `sample`, each sample
    /// having `rowsPerSample`: as rows of that sample, empty when none do.
    func rows(ofSample sample: Int, rowsPerSample: Int) -> Range<Int> {
        let first = sample &* rowsPerSample
        let start = Swift.max(0, lowerBound &- first)
        return start..<Swift.max(start, Swift.min(rowsPerSample, upperBound &- first))
    }
}
