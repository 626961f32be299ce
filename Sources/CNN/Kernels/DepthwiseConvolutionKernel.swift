/// A depthwise convolution (groups == Cin == Cout): each output pixel accumulates its taps over
/// 8 channels at a time, with the bias and activation applied before the store. Weights are the
/// HWIO tensor `[kh, kw, 1, C]`, i.e. `[kh·kw, C]`, contiguous along channels like the input.
struct DepthwiseConvolutionKernel: Kernel {
    let parameters: ConvolutionParameters
    /// Zero-filled when the convolution has no bias, so the loop has no branch on it.
    let bias: [Float]

    init(parameters: ConvolutionParameters) {
        var p = parameters
        bias = p.epilogue.bias ?? [Float](repeating: 0, count: p.outputChannels)
        p.epilogue.bias = nil
        self.parameters = p
    }

    func run(batch: Int, _ io: KernelIO) {
        switch parameters.epilogue.activation {
        case .none: run(batch, io) { $0 }
        case .relu: run(batch, io) { pointwiseMax($0, .zero) }
        case .relu6: run(batch, io) { $0.clamped(lowerBound: .zero, upperBound: SIMD8(repeating: 6)) }
        case .sigmoid, .silu, .hardSwish:
            run(batch, io) { $0 }
            let c = parameters.outputChannels
            Epilogue(bias: nil, activation: parameters.epilogue.activation)
                .apply(io.output, rows: batch * parameters.outputPixelsPerSample, columns: c, rowStride: c)
        }
    }

    @inline(__always)
    private func run(_ batch: Int, _ io: KernelIO, _ activation: (SIMD8<Float>) -> SIMD8<Float>) {
        let g = parameters.geometry
        let channels = parameters.outputChannels
        let vectorEnd = channels & ~7
        let input = UnsafeRawPointer(io.input(0))
        let output = UnsafeMutableRawPointer(io.output)
        let rowBytes = g.inputWidth &* channels &* 4
        let pixelBytes = channels &* 4
        parameters.weights.withUnsafeBytes { weights in
            bias.withUnsafeBytes { biasBytes in
                let w = weights.baseAddress!
                let b = biasBytes.baseAddress!
                for n in 0..<batch {
                    let sample = input + n &* g.inputHeight &* rowBytes
                    for oy in 0..<g.outputHeight {
                        let y0 = oy &* g.strideY &- g.padding.top
                        for ox in 0..<g.outputWidth {
                            let x0 = ox &* g.strideX &- g.padding.left
                            let out = output + (((n &* g.outputHeight &+ oy) &* g.outputWidth &+ ox) &* pixelBytes)
                            var c = 0
                            while c < vectorEnd {
                                var acc = b.loadUnaligned(fromByteOffset: c &* 4, as: SIMD8<Float>.self)
                                for ky in 0..<g.kernelHeight {
                                    let iy = y0 &+ ky &* g.dilationY
                                    if iy < 0 || iy >= g.inputHeight { continue }
                                    let inRow = sample + iy &* rowBytes
                                    let wRow = w + ky &* g.kernelWidth &* pixelBytes
                                    for kx in 0..<g.kernelWidth {
                                        let ix = x0 &+ kx &* g.dilationX
                                        if ix < 0 || ix >= g.inputWidth { continue }
                                        let x = inRow.loadUnaligned(fromByteOffset: ix &* pixelBytes &+ c &* 4, as: SIMD8<Float>.self)
                                        let k = wRow.loadUnaligned(fromByteOffset: kx &* pixelBytes &+ c &* 4, as: SIMD8<Float>.self)
                                        acc = acc + x * k
                                    }
                                }
                                out.storeBytes(of: activation(acc), toByteOffset: c &* 4, as: SIMD8<Float>.self)
                                c &+= 8
                            }
                            while c < channels {
                                var acc = b.load(fromByteOffset: c &* 4, as: Float.self)
                                for ky in 0..<g.kernelHeight {
                                    let iy = y0 &+ ky &* g.dilationY
                                    if iy < 0 || iy >= g.inputHeight { continue }
                                    for kx in 0..<g.kernelWidth {
                                        let ix = x0 &+ kx &* g.dilationX
                                        if ix < 0 || ix >= g.inputWidth { continue }
                                        let x = sample.load(fromByteOffset: iy &* rowBytes &+ ix &* pixelBytes &+ c &* 4, as: Float.self)
                                        let k = w.load(fromByteOffset: (ky &* g.kernelWidth &+ kx) &* pixelBytes &+ c &* 4, as: Float.self)
                                        acc = acc + x * k
                                    }
                                }
                                var v = SIMD8<Float>(repeating: 0)
                                v[0] = acc
                                out.storeBytes(of: activation(v)[0], toByteOffset: c &* 4, as: Float.self)
                                c &+= 1
                            }
                        }
                    }
                }
            }
        }
    }
}
