/// The planner's kernel choice: which kernel family and variant each step gets, and the kernel
/// made for it (its parameters prepared, or read back from an earlier plan's file).
extension NetworkPlanner {
    /// The fast kernel family of a convolution, with its variant resolved: the packed GEMM's
    /// (nil: OpenBLAS multiplies) for 1×1 and im2col, the convolution kernels' for the others.
    private enum ConvolutionChoice {
        case pointwise(SIMDVariant?)
        case depthwise(SIMDVariant)
        case direct(SIMDVariant)
        case im2col(SIMDVariant?)
    }

    /// Fused multiply-adds: as forced, or exactly when this build has the instruction.
    private var fusedMultiplyAdd: Bool {
        options.multiplyAdd.map { $0 == .fused } ?? InstructionSet.compiledWithFusedMultiplyAdd
    }

    /// The packed GEMM's variant, or nil when OpenBLAS multiplies.
    private var gemmVariant: SIMDVariant? {
        let multiplier = options.pointwise == .automatic ? KernelCalibration.pointwise : options.pointwise
        guard multiplier == .simd else { return nil }
        return SIMDVariant(lanes: options.vectorLanes ?? KernelCalibration.pointwiseLanes, fused: fusedMultiplyAdd)
    }

    /// The depthwise and direct kernels' variant.
    private var convolutionVariant: SIMDVariant {
        SIMDVariant(lanes: options.vectorLanes ?? KernelCalibration.convolutionLanes, fused: fusedMultiplyAdd)
    }

    private func convolutionChoice(_ p: ConvolutionParameters) -> ConvolutionChoice {
        let g = p.geometry
        if g.kernelHeight == 1, g.kernelWidth == 1, g.strideY == 1, g.strideX == 1, g.padding.isZero, p.groups == 1 {
            return .pointwise(gemmVariant)
        }
        if p.groups == p.inputChannels, p.groups == p.outputChannels { return .depthwise(convolutionVariant) }
        if DirectConvolutionKernel.supports(p) { return .direct(convolutionVariant) }
        return .im2col(gemmVariant)
    }

    /// The kernel of `step`, with its parameters prepared here or — given `reader` — read back
    /// from an earlier plan's prepared-parameters file. Each kernel owns both: it computes its
    /// prepared parameters in its plain initializer and reads the same roles back in its
    /// `reading:` one. The planner only chooses.
    func kernel(_ step: PendingStep, reading reader: PreparedParameterReader?) throws(PreparedParameterFile.Rejection) -> any Kernel {
        let reference = options.kernels == .reference
        switch step.kernel {
        case .convolution(let p):
            if reference { return ConvolutionReferenceKernel(parameters: p) }
            switch convolutionChoice(p) {
            case .pointwise(let variant?):
                if let reader { return try PackedPointwiseConvolutionKernel(parameters: p, variant: variant, reading: reader) }
                return PackedPointwiseConvolutionKernel(parameters: p, variant: variant)
            case .pointwise(nil):
                if let reader { return try PointwiseConvolutionKernel(parameters: p, reading: reader) }
                return PointwiseConvolutionKernel(parameters: p)
            case .depthwise(let variant):
                if let reader { return try DepthwiseConvolutionKernel(parameters: p, variant: variant, reading: reader) }
                return DepthwiseConvolutionKernel(parameters: p, variant: variant)
            case .direct(let variant):
                if let reader { return try DirectConvolutionKernel(parameters: p, variant: variant, reading: reader) }
                return DirectConvolutionKernel(parameters: p, variant: variant)
            case .im2col(let variant):
                if let reader { return try Im2ColConvolutionKernel(parameters: p, variant: variant, reading: reader) }
                return Im2ColConvolutionKernel(parameters: p, variant: variant)
            }
        case .batchNorm(let gamma, let beta, let mean, let variance, let epsilon, let activation):
            let pixels = step.outputShape.height * step.outputShape.width
            if reference {
                return BatchNormReferenceKernel(
                    channels: gamma.count, pixelsPerSample: pixels, gamma: gamma, beta: beta, mean: mean,
                    variance: variance, epsilon: epsilon, activation: activation)
            }
            if let reader {
                return try ChannelAffineKernel(channels: step.outputShape.channels, pixelsPerSample: pixels, activation: activation, reading: reader)
            }
            return ChannelAffineKernel(
                pixelsPerSample: pixels, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon, activation: activation)
        case .activation(let activation):
            return ActivationKernel(activation: activation, elementsPerSample: step.outputShape.elementsPerSample)
        case .maxPool(let geometry):
            return MaxPoolKernel(geometry: geometry, channels: step.outputShape.channels)
        case .avgPool(let geometry, let countIncludesPadding):
            return AvgPoolKernel(geometry: geometry, channels: step.outputShape.channels, countIncludesPadding: countIncludesPadding)
        case .globalAvgPool:
            return GlobalAvgPoolKernel(pixels: step.inputShape.height * step.inputShape.width, channels: step.inputShape.channels)
        case .dense(let inputs, let units, let weights, let epilogue):
            if reference { return DenseReferenceKernel(inputs: inputs, units: units, weights: weights, epilogue: epilogue) }
            if let reader { return try DenseKernel(inputs: inputs, units: units, activation: epilogue.activation, reading: reader) }
            return DenseKernel(inputs: inputs, units: units, weights: ParameterStorage(weights), epilogue: epilogue)
        case .softmax:
            return SoftmaxKernel(pixelsPerSample: step.outputShape.height * step.outputShape.width, channels: step.outputShape.channels)
        case .add(let count, let activation):
            return AddKernel(elementsPerSample: step.outputShape.elementsPerSample, inputCount: count, activation: activation)
        case .concat(let channels):
            return ConcatKernel(pixelsPerSample: step.outputShape.height * step.outputShape.width, inputChannels: channels)
        }
    }
}
