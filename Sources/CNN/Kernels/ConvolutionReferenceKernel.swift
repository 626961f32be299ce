/// The naive convolution: the definition, loop by loop, accumulated in Double. Slow; it is the
/// oracle the fast convolution kernels are tested against and the `.reference` plan's choice.
struct ConvolutionReferenceKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters

    func run(batch: Int, _ io: KernelIO) {
        let p = parameters
        let g = p.geometry
        let input = io.input(0)
        let output = io.output
        let cinG = p.inputChannelsPerGroup
        let coutG = p.outputChannelsPerGroup
        p.weights.withUnsafeBufferPointer { w in
            for n in 0..<batch {
                for oy in 0..<g.outputHeight {
                    for ox in 0..<g.outputWidth {
                        for o in 0..<p.outputChannels {
                            let group = o / coutG
                            var sum = 0.0
                            for ky in 0..<g.kernelHeight {
                                let iy = oy * g.strideY - g.padding.top + ky * g.dilationY
                                if iy < 0 || iy >= g.inputHeight { continue }
                                for kx in 0..<g.kernelWidth {
                                    let ix = ox * g.strideX - g.padding.left + kx * g.dilationX
                                    if ix < 0 || ix >= g.inputWidth { continue }
                                    let inBase = ((n * g.inputHeight + iy) * g.inputWidth + ix) * p.inputChannels + group * cinG
                                    let wBase = (ky * g.kernelWidth + kx) * cinG * p.outputChannels
                                    for i in 0..<cinG {
                                        sum += Double(input[inBase + i]) * Double(w[wBase + i * p.outputChannels + o])
                                    }
                                }
                            }
                            let index = ((n * g.outputHeight + oy) * g.outputWidth + ox) * p.outputChannels + o
                            output[index] = Float(sum)
                        }
                    }
                }
            }
        }
        p.epilogue.apply(output, rows: batch * p.outputPixelsPerSample, columns: p.outputChannels, rowStride: p.outputChannels)
    }
}
