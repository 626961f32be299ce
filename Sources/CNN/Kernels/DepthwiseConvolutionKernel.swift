/// A depthwise convolution (groups == Cin == Cout) computed directly, 8 channels at a time.
///
/// Loop order: output row → block of 8 channels → output columns, eight at a time, so the `k`
/// input rows a block reads stay in cache. The columns whose window lies inside the input run
/// without bounds checks; the few border columns take the checked path. 3×3 and 5×5 at stride 1
/// and 2 have their taps spelled out (`DepthwiseWindow`). Weights are the HWIO tensor `[kh, kw, 1, C]`, i.e.
/// `[kh·kw, C]`, contiguous along channels like the input. Bias and activation are applied
/// before the store.
struct DepthwiseConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters
    /// Zero-filled when the convolution has no bias, so the loop has no branch on it.
    let bias: [Float]
    /// Fused multiply-adds, when they compiled to fast instructions (`KernelCalibration`).
    let fused: Bool

    init(parameters: ConvolutionParameters, fused: Bool = KernelCalibration.fusedMultiplyAddIsFast) {
        self.fused = fused
        var p = parameters
        bias = p.epilogue.bias ?? [Float](repeating: 0, count: p.outputChannels)
        p.epilogue.bias = nil
        self.parameters = p
    }

    func run(batch: Int, _ io: KernelIO) {
        switch parameters.epilogue.activation {
        case .none: dispatch(batch, io, IdentityActivation.self)
        case .relu: dispatch(batch, io, ReLUActivation.self)
        case .relu6: dispatch(batch, io, ReLU6Activation.self)
        case .sigmoid, .silu, .hardSwish:
            dispatch(batch, io, IdentityActivation.self)
            let c = parameters.outputChannels
            Epilogue(bias: nil, activation: parameters.epilogue.activation)
                .apply(io.output, rows: batch * parameters.outputPixelsPerSample, columns: c, rowStride: c)
        }
    }

    private func dispatch<A: VectorActivation>(_ batch: Int, _ io: KernelIO, _ activation: A.Type) {
        if fused { dispatch(batch, io, activation, FusedMultiplyAdd.self) } else { dispatch(batch, io, activation, SeparateMultiplyAdd.self) }
    }

    private func dispatch<A: VectorActivation, F: MultiplyAccumulate>(_ batch: Int, _ io: KernelIO, _ activation: A.Type, _ multiply: F.Type) {
        let g = parameters.geometry
        let square = g.kernelHeight == g.kernelWidth && g.strideY == g.strideX && g.dilationY == 1 && g.dilationX == 1
        switch (square ? g.kernelHeight : 0, g.strideY) {
        case (3, 1): rows(batch, io, activation, multiply, Window3x3Stride1.self)
        case (3, 2): rows(batch, io, activation, multiply, Window3x3Stride2.self)
        case (5, 1): rows(batch, io, activation, multiply, Window5x5Stride1.self)
        case (5, 2): rows(batch, io, activation, multiply, Window5x5Stride2.self)
        default: rows(batch, io, activation, multiply, AnyWindow.self)
        }
    }

    /// Specialised per window shape `W` (constants for the common shapes, so the tap loops
    /// unroll) and activation `A`.
    private func rows<A: VectorActivation, F: MultiplyAccumulate, W: DepthwiseWindow>(
        _ batch: Int, _ io: KernelIO, _: A.Type, _: F.Type, _: W.Type
    ) {
        let kernel = W.kernel
        let stride = W.stride
        let g = parameters.geometry
        let kh = kernel > 0 ? kernel : g.kernelHeight
        let kw = kernel > 0 ? kernel : g.kernelWidth
        let sy = stride > 0 ? stride : g.strideY
        let sx = stride > 0 ? stride : g.strideX
        let dy = kernel > 0 ? 1 : g.dilationY
        let dx = kernel > 0 ? 1 : g.dilationX
        let channels = parameters.outputChannels
        let vectorEnd = channels & ~7
        let (inH, inW, outH, outW) = (g.inputHeight, g.inputWidth, g.outputHeight, g.outputWidth)
        let (top, left) = (g.padding.top, g.padding.left)
        // Output columns whose whole window is inside the input.
        let interiorStart = min(outW, (left + sx - 1) / sx)
        let interiorEnd = max(interiorStart, min(outW, (inW - 1 - (kw - 1) * dx + left) / sx + 1))
        let pixelStride = channels &* 4
        let rowStride = inW &* pixelStride
        let input = UnsafeRawPointer(io.input(0))
        let output = UnsafeMutableRawPointer(io.output)

        parameters.weights.withUnsafeBytes { weightBytes in
            bias.withUnsafeBytes { biasBytes in
                let w = weightBytes.baseAddress!
                let b = biasBytes.baseAddress!
                for n in 0..<batch {
                    let sample = input + n &* inH &* rowStride
                    for oy in 0..<outH {
                        let y0 = oy &* sy &- top
                        // Taps ky with 0 ≤ y0 + ky·dy < inH.
                        var kyStart = 0
                        while kyStart < kh && y0 &+ kyStart &* dy < 0 { kyStart &+= 1 }
                        var kyEnd = kh
                        while kyEnd > kyStart && y0 &+ (kyEnd &- 1) &* dy >= inH { kyEnd &-= 1 }
                        let outRow = output + ((n &* outH &+ oy) &* outW) &* pixelStride

                        var c = 0
                        while c < vectorEnd {
                            let cb = c &* 4
                            let bias = b.loadUnaligned(fromByteOffset: cb, as: SIMD8<Float>.self)
                            for ox in 0..<interiorStart {
                                Self.checkedColumn(
                                ox, A.self, F.self, bias: bias, sample: sample, outRow: outRow, weights: w, channelOffset: cb,
                                y0: y0, x0: ox &* sx &- left, kyRange: kyStart..<kyEnd, kernelWidth: kw, dilationY: dy,
                                dilationX: dx, inputWidth: inW, rowStride: rowStride, pixelStride: pixelStride)
                            }
                            // Four columns at a time, two blocks per step: eight independent
                            // accumulator chains hide the multiply-add latency, and each block
                            // loads an input vector once for every column that uses it.
                            var ox = interiorStart
                            let columnStep = sx &* pixelStride
                            let tapStep = dx &* pixelStride
                            while ox &+ 8 <= interiorEnd {
                                var left4 = FourColumns(bias), right4 = FourColumns(bias)
                                let x0 = ox &* sx &- left
                                for ky in kyStart..<kyEnd {
                                    let inRow = sample + (y0 &+ ky &* dy) &* rowStride + (x0 &* pixelStride &+ cb)
                                    let wRow = w + ky &* kw &* pixelStride + cb
                                    W.accumulate(&left4, row: inRow, weights: wRow, kernelWidth: kw, pixelStride: pixelStride, columnStep: columnStep, tapStep: tapStep, F.self)
                                    W.accumulate(&right4, row: inRow + columnStep &* 4, weights: wRow, kernelWidth: kw, pixelStride: pixelStride, columnStep: columnStep, tapStep: tapStep, F.self)
                                }
                                Self.store(left4, A.self, to: outRow + (ox &* pixelStride &+ cb), pixelStride: pixelStride)
                                Self.store(right4, A.self, to: outRow + ((ox &+ 4) &* pixelStride &+ cb), pixelStride: pixelStride)
                                ox &+= 8
                            }
                            while ox &+ 4 <= interiorEnd {
                                var acc = FourColumns(bias)
                                let x0 = ox &* sx &- left
                                for ky in kyStart..<kyEnd {
                                    let inRow = sample + (y0 &+ ky &* dy) &* rowStride + (x0 &* pixelStride &+ cb)
                                    let wRow = w + ky &* kw &* pixelStride + cb
                                    W.accumulate(&acc, row: inRow, weights: wRow, kernelWidth: kw, pixelStride: pixelStride, columnStep: columnStep, tapStep: tapStep, F.self)
                                }
                                Self.store(acc, A.self, to: outRow + (ox &* pixelStride &+ cb), pixelStride: pixelStride)
                                ox &+= 4
                            }
                            while ox < interiorEnd {
                                var acc = bias
                                let x0 = ox &* sx &- left
                                for ky in kyStart..<kyEnd {
                                    let inRow = sample + (y0 &+ ky &* dy) &* rowStride + (x0 &* pixelStride &+ cb)
                                    let wRow = w + ky &* kw &* pixelStride + cb
                                    for kx in 0..<kw {
                                        let x = inRow.loadUnaligned(fromByteOffset: kx &* dx &* pixelStride, as: SIMD8<Float>.self)
                                        let k = wRow.loadUnaligned(fromByteOffset: kx &* pixelStride, as: SIMD8<Float>.self)
                                        acc = F.accumulate(acc, x, k)
                                    }
                                }
                                outRow.storeVector(A.apply(acc), toByteOffset: ox &* pixelStride &+ cb)
                                ox &+= 1
                            }
                            for ox in interiorEnd..<outW {
                                Self.checkedColumn(
                                ox, A.self, F.self, bias: bias, sample: sample, outRow: outRow, weights: w, channelOffset: cb,
                                y0: y0, x0: ox &* sx &- left, kyRange: kyStart..<kyEnd, kernelWidth: kw, dilationY: dy,
                                dilationX: dx, inputWidth: inW, rowStride: rowStride, pixelStride: pixelStride)
                            }
                            c &+= 8
                        }

                        // Channels past the last multiple of 8, one at a time.
                        while c < channels {
                            let cb = c &* 4
                            for ox in 0..<outW {
                                var acc = b.load(fromByteOffset: cb, as: Float.self)
                                let x0 = ox &* sx &- left
                                for ky in kyStart..<kyEnd {
                                    let iy = y0 &+ ky &* dy
                                    for kx in 0..<kw {
                                        let ix = x0 &+ kx &* dx
                                        if ix < 0 || ix >= inW { continue }
                                        let x = sample.load(fromByteOffset: iy &* rowStride &+ ix &* pixelStride &+ cb, as: Float.self)
                                        let k = w.load(fromByteOffset: (ky &* kw &+ kx) &* pixelStride &+ cb, as: Float.self)
                                        acc = acc + x * k
                                    }
                                }
                                var v = SIMD8<Float>(repeating: 0)
                                v[0] = acc
                                outRow.storeBytes(of: A.apply(v)[0], toByteOffset: ox &* pixelStride &+ cb, as: Float.self)
                            }
                            c &+= 1
                        }
                    }
                }
            }
        }
    }
    /// Applies the activation and stores four adjacent output columns.
    @inline(__always)
    private static func store<A: VectorActivation>(_ acc: FourColumns, _: A.Type, to out: UnsafeMutableRawPointer, pixelStride: Int) {
        out.storeVector(A.apply(acc.c0))
        out.storeVector(A.apply(acc.c1), toByteOffset: pixelStride)
        out.storeVector(A.apply(acc.c2), toByteOffset: pixelStride &* 2)
        out.storeVector(A.apply(acc.c3), toByteOffset: pixelStride &* 3)
    }

    /// One output column whose window hangs over the left or right border: taps outside the
    /// input are skipped. A static function with explicit arguments, so nothing is captured.
    @inline(__always)
    private static func checkedColumn<A: VectorActivation, F: MultiplyAccumulate>(
        _ ox: Int, _: A.Type, _: F.Type, bias: SIMD8<Float>, sample: UnsafeRawPointer, outRow: UnsafeMutableRawPointer,
        weights: UnsafeRawPointer, channelOffset cb: Int, y0: Int, x0: Int, kyRange: Range<Int>, kernelWidth kw: Int,
        dilationY dy: Int, dilationX dx: Int, inputWidth inW: Int, rowStride: Int, pixelStride: Int
    ) {
        var acc = bias
        for ky in kyRange {
            let inRow = sample + (y0 &+ ky &* dy) &* rowStride + cb
            let wRow = weights + ky &* kw &* pixelStride + cb
            for kx in 0..<kw {
                let ix = x0 &+ kx &* dx
                if ix < 0 || ix >= inW { continue }
                let x = inRow.loadUnaligned(fromByteOffset: ix &* pixelStride, as: SIMD8<Float>.self)
                let k = wRow.loadUnaligned(fromByteOffset: kx &* pixelStride, as: SIMD8<Float>.self)
                acc = F.accumulate(acc, x, k)
            }
        }
        outRow.storeVector(A.apply(acc), toByteOffset: ox &* pixelStride &+ cb)
    }
}
