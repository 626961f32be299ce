/// A depthwise convolution (groups == Cin == Cout) computed directly, a vector of 8 or 16 channels
/// at a time (`SIMDVariant`; 16 for AVX-512, with any last 8 channels in an 8-lane vector).
///
/// Loop order: output row → block of channels → output columns, eight at a time, so the `k`
/// input rows a block reads stay in cache. The columns whose window lies inside the input run
/// four or eight at a time without bounds checks, with 3×3 and 5×5 at stride 1 and 2 spelled
/// out (`DepthwiseWindow`). Border columns and the interior's leftovers run one column at a time
/// over the taps inside the input, for four channel blocks at once. Weights are the HWIO tensor `[kh, kw, 1, C]`, i.e.
/// `[kh·kw, C]`, contiguous along channels like the input. Bias and activation are applied
/// before the store.
struct DepthwiseConvolutionKernel: RowBandConvolutionKernel {
    let parameters: ConvolutionParameters
    /// Zero-filled when the convolution has no bias, so the loop has no branch on it.
    let bias: [Float]
    /// The vector width and multiply-add the loops are compiled for.
    let variant: SIMDVariant

    init(parameters: ConvolutionParameters, variant: SIMDVariant = .compiledDefault) {
        self.variant = variant
        var p = parameters
        bias = p.epilogue.bias ?? [Float](repeating: 0, count: p.outputChannels)
        p.epilogue.bias = nil
        self.parameters = p
    }

    /// With the (folded) weights and zero-filled bias of an earlier plan.
    init(parameters: ConvolutionParameters, variant: SIMDVariant, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        var p = parameters
        p.weights = try reader.storage("weights", count: p.geometry.kernelHeight * p.geometry.kernelWidth * p.outputChannels)
        p.epilogue.bias = try reader.values("bias", count: p.outputChannels)
        self.init(parameters: p, variant: variant)
    }

    /// The HWIO weights and the zero-filled bias, as `init(parameters:variant:reading:)` reads them.
    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", parameters.weights), PreparedParameter("bias", ParameterStorage(bias))]
    }

    /// This kernel's output-row bands (`RowBandConvolutionKernel`).
    struct Bands: OutputRowBands {
        let kernel: DepthwiseConvolutionKernel
        let batch: Int
        let io: KernelIO
    }

    func computeRows<A: VectorActivation>(batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _ activation: A.Type) {
        if variant.fused {
            dispatch(batch, io, outputRows, activation, FusedMultiplyAdd.self)
        } else {
            dispatch(batch, io, outputRows, activation, SeparateMultiplyAdd.self)
        }
    }

    private func dispatch<A: VectorActivation, F: MultiplyAccumulate>(
        _ batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _ activation: A.Type, _ multiply: F.Type
    ) {
        let g = parameters.geometry
        let square = g.kernelHeight == g.kernelWidth && g.strideY == g.strideX && g.dilationY == 1 && g.dilationX == 1
        switch (square ? g.kernelHeight : 0, g.strideY) {
        case (3, 1): lanes(batch, io, outputRows, activation, multiply, Window3x3Stride1.self)
        case (3, 2): lanes(batch, io, outputRows, activation, multiply, Window3x3Stride2.self)
        case (5, 1): lanes(batch, io, outputRows, activation, multiply, Window5x5Stride1.self)
        case (5, 2): lanes(batch, io, outputRows, activation, multiply, Window5x5Stride2.self)
        default: lanes(batch, io, outputRows, activation, multiply, AnyWindow.self)
        }
    }

    /// All channels in vectors of the variant's width; with 16 lanes, the channels past the last
    /// multiple of 16 in 8-lane vectors, and those past a multiple of 8 one at a time.
    @inline(__always)
    private func lanes<A: VectorActivation, F: MultiplyAccumulate, W: DepthwiseWindow>(
        _ batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _: A.Type, _: F.Type, _: W.Type
    ) {
        let channels = parameters.outputChannels
        switch variant.lanes {
        case .eight:
            rows(batch, io, outputRows, A.self, F.self, W.self, SIMD8<Float>.self, channels: 0..<channels)
        case .sixteen:
            let wide = channels & ~15
            if wide > 0 { rows(batch, io, outputRows, A.self, F.self, W.self, SIMD16<Float>.self, channels: 0..<wide) }
            if wide < channels { rows(batch, io, outputRows, A.self, F.self, W.self, SIMD8<Float>.self, channels: wide..<channels) }
        }
    }

    /// Specialised per window shape `W` (constants for the common shapes, so the tap loops
    /// unroll), activation `A` and vector `V`; computes the channels of `channelRange`, those past
    /// its last whole vector one at a time.
    private func rows<A: VectorActivation, F: MultiplyAccumulate, W: DepthwiseWindow, V: FloatVector>(
        _ batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _: A.Type, _: F.Type, _: W.Type, _: V.Type,
        channels channelRange: Range<Int>
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
        let lanes = V.lanes
        let vectorBytes = lanes &* 4
        let vectorEnd = channelRange.lowerBound &+ (channelRange.count / lanes) &* lanes
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
                    for oy in outputRows.rows(ofSample: n, rowsPerSample: outH) {
                        let y0 = oy &* sy &- top
                        // Taps ky with 0 ≤ y0 + ky·dy < inH.
                        var kyStart = 0
                        while kyStart < kh && y0 &+ kyStart &* dy < 0 { kyStart &+= 1 }
                        var kyEnd = kh
                        while kyEnd > kyStart && y0 &+ (kyEnd &- 1) &* dy >= inH { kyEnd &-= 1 }
                        let outRow = output + ((n &* outH &+ oy) &* outW) &* pixelStride

                        var c = channelRange.lowerBound
                        while c < vectorEnd {
                            // Up to four vectors of channels form a group: the columns computed
                            // one at a time below then carry four independent accumulator chains
                            // instead of one, which bound them by multiply-add latency (on 7×7
                            // maps with a 5×5 window that is every column).
                            let blocks = min(4, (vectorEnd &- c) / lanes)
                            let groupOffset = c &* 4
                            // Interior columns eight and four at a time, one block after another.
                            var interiorTail = interiorStart
                            for block in 0..<blocks {
                                let cb = groupOffset &+ block &* vectorBytes
                                let bias = V.load(b, byteOffset: cb)
                                // Two four-column steps at a time: eight independent accumulator
                                // chains hide the multiply-add latency, and each step loads an
                                // input vector once for every column that uses it.
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
                                interiorTail = ox
                            }
                            // The border columns and the interior columns left over, one column
                            // at a time for the whole group.
                            var ox = 0
                            while ox < outW {
                                if ox == interiorStart { ox = interiorTail; if ox >= outW { break } }
                                let x0 = ox &* sx &- left
                                // Taps kx with 0 ≤ x0 + kx·dx < inW.
                                var kxStart = 0
                                while kxStart < kw && x0 &+ kxStart &* dx < 0 { kxStart &+= 1 }
                                var kxEnd = kw
                                while kxEnd > kxStart && x0 &+ (kxEnd &- 1) &* dx >= inW { kxEnd &-= 1 }
                                let window = Self.ColumnWindow(
                                    sample: sample, weights: w, y0: y0, x0: x0, kyRange: kyStart..<kyEnd, kxRange: kxStart..<kxEnd,
                                    kernelWidth: kw, dilationY: dy, dilationX: dx, rowStride: rowStride, pixelStride: pixelStride)
                                let outPixel = outRow + ox &* pixelStride
                                if blocks == 4 {
                                    Self.column4(window, A.self, F.self, V.self, biases: b, output: outPixel, groupOffset: groupOffset)
                                } else {
                                    for block in 0..<blocks {
                                        Self.column(window, A.self, F.self, V.self, biases: b, output: outPixel, channelOffset: groupOffset &+ block &* vectorBytes)
                                    }
                                }
                                ox &+= 1
                            }
                            c &+= blocks &* lanes
                        }

                        // Channels past the last whole vector, one at a time.
                        while c < channelRange.upperBound {
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
    private static func store<A: VectorActivation, V: FloatVector>(
        _ acc: FourColumns<V>, _: A.Type, to out: UnsafeMutableRawPointer, pixelStride: Int
    ) {
        A.apply(acc.c0).store(to: out)
        A.apply(acc.c1).store(to: out, byteOffset: pixelStride)
        A.apply(acc.c2).store(to: out, byteOffset: pixelStride &* 2)
        A.apply(acc.c3).store(to: out, byteOffset: pixelStride &* 3)
    }

    /// Where one output column's window lies: its first input row and column, and the taps that
    /// fall inside the input (the others read the zero padding and are skipped).
    struct ColumnWindow {
        let sample: UnsafeRawPointer
        let weights: UnsafeRawPointer
        let y0: Int
        let x0: Int
        let kyRange: Range<Int>
        let kxRange: Range<Int>
        let kernelWidth: Int
        let dilationY: Int
        let dilationX: Int
        let rowStride: Int
        let pixelStride: Int
    }

    /// One output column of one vector of channels at byte offset `cb`.
    @inline(__always)
    private static func column<A: VectorActivation, F: MultiplyAccumulate, V: FloatVector>(
        _ win: ColumnWindow, _: A.Type, _: F.Type, _: V.Type, biases: UnsafeRawPointer, output: UnsafeMutableRawPointer,
        channelOffset cb: Int
    ) {
        var acc = V.load(biases, byteOffset: cb)
        for ky in win.kyRange {
            let inRow = win.sample + (win.y0 &+ ky &* win.dilationY) &* win.rowStride + (win.x0 &* win.pixelStride &+ cb)
            let wRow = win.weights + ky &* win.kernelWidth &* win.pixelStride + cb
            for kx in win.kxRange {
                let x = V.load(inRow, byteOffset: kx &* win.dilationX &* win.pixelStride)
                let k = V.load(wRow, byteOffset: kx &* win.pixelStride)
                acc = F.accumulate(acc, x, k)
            }
        }
        A.apply(acc).store(to: output, byteOffset: cb)
    }

    /// One output column of four adjacent vectors of channels starting at byte offset `g`: four
    /// independent accumulator chains.
    @inline(__always)
    private static func column4<A: VectorActivation, F: MultiplyAccumulate, V: FloatVector>(
        _ win: ColumnWindow, _: A.Type, _: F.Type, _: V.Type, biases: UnsafeRawPointer, output: UnsafeMutableRawPointer,
        groupOffset g: Int
    ) {
        let step = V.lanes &* 4
        var a0 = V.load(biases, byteOffset: g)
        var a1 = V.load(biases, byteOffset: g &+ step)
        var a2 = V.load(biases, byteOffset: g &+ step &* 2)
        var a3 = V.load(biases, byteOffset: g &+ step &* 3)
        for ky in win.kyRange {
            let inRow = win.sample + (win.y0 &+ ky &* win.dilationY) &* win.rowStride + (win.x0 &* win.pixelStride &+ g)
            let wRow = win.weights + ky &* win.kernelWidth &* win.pixelStride + g
            for kx in win.kxRange {
                let x = inRow + kx &* win.dilationX &* win.pixelStride
                let k = wRow + kx &* win.pixelStride
                a0 = F.accumulate(a0, V.load(x), V.load(k))
                a1 = F.accumulate(a1, V.load(x, byteOffset: step), V.load(k, byteOffset: step))
                a2 = F.accumulate(a2, V.load(x, byteOffset: step &* 2), V.load(k, byteOffset: step &* 2))
                a3 = F.accumulate(a3, V.load(x, byteOffset: step &* 3), V.load(k, byteOffset: step &* 3))
            }
        }
        A.apply(a0).store(to: output, byteOffset: g)
        A.apply(a1).store(to: output, byteOffset: g &+ step)
        A.apply(a2).store(to: output, byteOffset: g &+ step &* 2)
        A.apply(a3).store(to: output, byteOffset: g &+ step &* 3)
    }
}
