/// `y = act(x · scale[c] + shift[c])`: a BatchNorm that could not be folded into a convolution,
/// with `scale = gamma / sqrt(variance + epsilon)` and `shift = beta − mean · scale` computed once.
struct ChannelAffineKernel: Kernel {
    let channels: Int
    let pixelsPerSample: Int
    let scale: [Float]
    let shift: [Float]
    let activation: Activation

    init(channels: Int, pixelsPerSample: Int, scale: [Float], shift: [Float], activation: Activation) {
        self.channels = channels
        self.pixelsPerSample = pixelsPerSample
        self.scale = scale
        self.shift = shift
        self.activation = activation
    }

    /// From the BatchNorm's statistics (computed in Double, rounded once).
    init(
        pixelsPerSample: Int, gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float, activation: Activation
    ) {
        var scale = [Float](repeating: 0, count: gamma.count)
        var shift = [Float](repeating: 0, count: gamma.count)
        for c in gamma.indices {
            let s: Double = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
        }
        self.init(channels: gamma.count, pixelsPerSample: pixelsPerSample, scale: scale, shift: shift, activation: activation)
    }

    /// With the scale and shift of an earlier plan.
    init(channels: Int, pixelsPerSample: Int, activation: Activation, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        self.init(
            channels: channels, pixelsPerSample: pixelsPerSample, scale: try reader.values("scale", count: channels),
            shift: try reader.values("shift", count: channels), activation: activation)
    }

    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("scale", ParameterStorage(scale)), PreparedParameter("shift", ParameterStorage(shift))]
    }

    func run(batch: Int, _ io: KernelIO) {
        let input = io.input(0)
        let output = io.output
        let rows = batch &* pixelsPerSample
        scale.withUnsafeBufferPointer { s in
            shift.withUnsafeBufferPointer { t in
                for r in 0..<rows {
                    let base = r &* channels
                    for c in 0..<channels {
                        output[base &+ c] = input[base &+ c] * s[c] + t[c]
                    }
                }
            }
        }
        Epilogue(bias: nil, activation: activation).apply(output, rows: rows, columns: channels, rowStride: channels)
    }
}

/// The naive BatchNorm: the formula per element, in Double.
struct BatchNormReferenceKernel: Kernel {
    let channels: Int
    let pixelsPerSample: Int
    let gamma: [Float]
    let beta: [Float]
    let mean: [Float]
    let variance: [Float]
    let epsilon: Float
    let activation: Activation

    func run(batch: Int, _ io: KernelIO) {
        let input = io.input(0)
        let output = io.output
        for r in 0..<(batch * pixelsPerSample) {
            for c in 0..<channels {
                let x = Double(input[r * channels + c])
                let normalized = (x - Double(mean[c])) / (Double(variance[c]) + Double(epsilon)).squareRoot()
                output[r * channels + c] = activation.apply(Float(Double(gamma[c]) * normalized + Double(beta[c])))
            }
        }
    }
}
