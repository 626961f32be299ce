/// A dense convolution over few input channels — the stem's 3×3 over RGB — computed directly:
/// no im2col copy, and no GEMM whose K (kh·kw·Cin = 27) is too short to pay for its packing.
///
/// For one output row and one block of 16 output channels, four adjacent output columns are
/// computed at once: each tap's input value is broadcast once and multiplied into both 8-channel
/// weight vectors of the block, which are themselves shared by the four columns — eight
/// independent accumulator chains, enough to hide the multiply-add latency. In NHWC one kernel
/// row's taps for one column are `kw·Cin` consecutive floats, and the HWIO weights of that
/// kernel row are `[kw·Cin, Cout]`, so each kernel row is a tiny `4 × kw·Cin × 16` product.
/// A last block of 8 channels runs the same way with one vector. Columns whose window hangs over
/// the padding run one at a time over the taps inside the input. Bias and activation are applied
/// before the store.
struct DirectConvolutionKernel: RowBandConvolutionKernel {
    let parameters: ConvolutionParameters
    /// Zero-filled when the convolution has no bias, so the loops have no branch on it.
    let bias: [Float]
    /// The vector width and multiply-add the loops are compiled for.
    let variant: SIMDVariant

    /// Whether this kernel computes `p`: one group, at most four input channels, a multiple of 8
    /// output channels, no dilation. Wider inputs are faster as im2col + GEMM, whose K grows with
    /// Cin.
    static func supports(_ p: ConvolutionParameters) -> Bool {
        let g = p.geometry
        return p.groups == 1 && p.inputChannels <= 4 && p.outputChannels % 8 == 0 && g.dilationX == 1 && g.dilationY == 1
    }

    init(parameters: ConvolutionParameters, variant: SIMDVariant = .compiledDefault) {
        precondition(Self.supports(parameters), "DirectConvolutionKernel: unsupported convolution")
        self.variant = variant
        var p = parameters
        bias = p.epilogue.bias ?? [Float](repeating: 0, count: p.outputChannels)
        p.epilogue.bias = nil
        self.parameters = p
    }

    /// With the (folded) weights and zero-filled bias of an earlier plan.
    init(parameters: ConvolutionParameters, variant: SIMDVariant, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        var p = parameters
        let taps = p.geometry.kernelHeight * p.geometry.kernelWidth
        p.weights = try reader.storage("weights", count: taps * p.inputChannels * p.outputChannels)
        p.epilogue.bias = try reader.values("bias", count: p.outputChannels)
        self.init(parameters: p, variant: variant)
    }

    /// The HWIO weights and the zero-filled bias, as `init(parameters:variant:reading:)` reads them.
    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", parameters.weights), PreparedParameter("bias", ParameterStorage(bias))]
    }

    /// This kernel's output-row bands (`RowBandConvolutionKernel`).
    struct Bands: OutputRowBands {
        let kernel: DirectConvolutionKernel
        let batch: Int
        let io: KernelIO
    }

    func computeRows<A: VectorActivation>(batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _ activation: A.Type) {
        if variant.fused {
            lanes(batch, io, outputRows, activation, FusedMultiplyAdd.self)
        } else {
            lanes(batch, io, outputRows, activation, SeparateMultiplyAdd.self)
        }
    }

    /// All output channels in vectors of the variant's width; with 16 lanes, a last 8 channels
    /// in 8-lane vectors.
    @inline(__always)
    private func lanes<A: VectorActivation, F: MultiplyAccumulate>(
        _ batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _: A.Type, _: F.Type
    ) {
        let cout = parameters.outputChannels
        switch variant.lanes {
        case .eight:
            rows(batch, io, outputRows, A.self, F.self, SIMD8<Float>.self, channels: 0..<cout)
        case .sixteen:
            let wide = cout & ~15
            if wide > 0 { rows(batch, io, outputRows, A.self, F.self, SIMD16<Float>.self, channels: 0..<wide) }
            if wide < cout { rows(batch, io, outputRows, A.self, F.self, SIMD8<Float>.self, channels: wide..<cout) }
        }
    }

    /// Output rows `outputRows` of the batch (row `n · outH + oy` is row `oy` of sample `n`), the
    /// output channels of `channels` (a multiple of `V.lanes` of them).
    private func rows<A: VectorActivation, F: MultiplyAccumulate, V: FloatVector>(
        _ batch: Int, _ io: KernelIO, _ outputRows: Range<Int>, _: A.Type, _: F.Type, _: V.Type, channels: Range<Int>
    ) {
        let p = parameters
        let g = p.geometry
        let (kh, kw, sy, sx) = (g.kernelHeight, g.kernelWidth, g.strideY, g.strideX)
        let (inH, inW, outH, outW) = (g.inputHeight, g.inputWidth, g.outputHeight, g.outputWidth)
        let (top, left) = (g.padding.top, g.padding.left)
        let cin = p.inputChannels
        let cout = p.outputChannels
        let lanes = V.lanes
        let vectorBytes = lanes &* 4
        // Output columns whose whole window is inside the input.
        // (The last window inside starts at input column inW − kw; none does when that is < 0.)
        let interiorStart = min(outW, (left + sx - 1) / sx)
        let lastInside = inW &- kw &+ left
        let interiorEnd = lastInside < 0 ? interiorStart : max(interiorStart, min(outW, lastInside / sx + 1))
        let inPixel = cin &* 4
        let inRowBytes = inW &* inPixel
        let outPixel = cout &* 4
        // Bytes between the weights of adjacent taps (one kx·Cin + ci step): a row of Cout.
        let tapBytes = cout &* 4
        let rowTaps = kw &* cin
        let columnStep = sx &* inPixel
        let input = UnsafeRawPointer(io.input(0))
        let output = UnsafeMutableRawPointer(io.output)

        p.weights.withUnsafeBytes { weightBytes in
            bias.withUnsafeBytes { biasBytes in
                let w = weightBytes.baseAddress!
                let b = biasBytes.baseAddress!
                for n in 0..<batch {
                    let sample = input + n &* inH &* inRowBytes
                    for oy in outputRows.rows(ofSample: n, rowsPerSample: outH) {
                        let y0 = oy &* sy &- top
                        // Kernel rows ky with 0 ≤ y0 + ky < inH.
                        let kyStart = max(0, -y0)
                        let kyEnd = max(kyStart, min(kh, inH &- y0))
                        let outRow = output + (n &* outH &+ oy) &* outW &* outPixel
                        var cb = channels.lowerBound
                        while cb < channels.upperBound {
                            let wide = channels.upperBound &- cb >= 2 &* lanes
                            let cbBytes = cb &* 4
                            let bias0 = V.load(b, byteOffset: cbBytes)
                            let bias1 = wide ? V.load(b, byteOffset: cbBytes &+ vectorBytes) : .zero
                            var ox = interiorStart
                            while ox &+ 4 <= interiorEnd {
                                let x0 = ox &* sx &- left
                                let inFirst = sample + ((y0 &+ kyStart) &* inRowBytes &+ x0 &* inPixel)
                                let wFirst = w + (kyStart &* rowTaps &* tapBytes &+ cbBytes)
                                let out = outRow + (ox &* outPixel &+ cbBytes)
                                let window = RowWindow(
                                    input: inFirst, weights: wFirst, rows: kyEnd &- kyStart, inputRowBytes: inRowBytes,
                                    taps: rowTaps, tapBytes: tapBytes, columnStep: columnStep)
                                if wide {
                                    Self.fourColumnsTwoBlocks(window, bias0, bias1, A.self, F.self, output: out, pixelBytes: outPixel)
                                } else {
                                    Self.fourColumnsOneBlock(window, bias0, A.self, F.self, output: out, pixelBytes: outPixel)
                                }
                                ox &+= 4
                            }
                            // The border columns and the interior's leftovers, one at a time over
                            // the taps inside the input.
                            let interiorTail = ox
                            ox = 0
                            while ox < outW {
                                if ox == interiorStart { ox = interiorTail; if ox >= outW { break } }
                                let x0 = ox &* sx &- left
                                let kxStart = max(0, -x0)
                                let kxEnd = max(kxStart, min(kw, inW &- x0))
                                var a0 = bias0, a1 = bias1
                                for ky in kyStart..<kyEnd {
                                    let inRow = sample + ((y0 &+ ky) &* inRowBytes &+ x0 &* inPixel)
                                    let wRow = w + (ky &* rowTaps &* tapBytes &+ cbBytes)
                                    for tap in (kxStart &* cin)..<(kxEnd &* cin) {
                                        let x = V.broadcast(inRow.load(fromByteOffset: tap &* 4, as: Float.self))
                                        let k = wRow + tap &* tapBytes
                                        a0 = F.accumulate(a0, x, V.load(k))
                                        if wide { a1 = F.accumulate(a1, x, V.load(k, byteOffset: vectorBytes)) }
                                    }
                                }
                                let out = outRow + (ox &* outPixel &+ cbBytes)
                                A.apply(a0).store(to: out)
                                if wide { A.apply(a1).store(to: out, byteOffset: vectorBytes) }
                                ox &+= 1
                            }
                            cb &+= wide ? 2 &* lanes : lanes
                        }
                    }
                }
            }
        }
    }

    /// The taps of four adjacent output columns: `rows` kernel rows from `input` (the first
    /// column's first tap) and `weights` (that kernel row's first tap, this channel block), each
    /// `taps` floats long in the input and `taps` weight rows of `tapBytes`.
    struct RowWindow {
        let input: UnsafeRawPointer
        let weights: UnsafeRawPointer
        let rows: Int
        let inputRowBytes: Int
        let taps: Int
        let tapBytes: Int
        let columnStep: Int
    }

    /// Four columns, two vectors of channels: per tap, two weight vectors and four broadcast inputs feed
    /// eight multiply-adds. The accumulators are locals of one function for all kernel rows, so
    /// they stay in registers (an `inout` struct passed per kernel row was spilled between rows).
    @inline(__always)
    private static func fourColumnsTwoBlocks<A: VectorActivation, F: MultiplyAccumulate, V: FloatVector>(
        _ win: RowWindow, _ bias0: V, _ bias1: V, _: A.Type, _: F.Type,
        output out: UnsafeMutableRawPointer, pixelBytes p: Int
    ) {
        var (c0, c1, c2, c3) = (bias0, bias0, bias0, bias0)
        var (d0, d1, d2, d3) = (bias1, bias1, bias1, bias1)
        let vectorBytes = V.lanes &* 4
        let s1 = win.columnStep, s2 = win.columnStep &* 2, s3 = win.columnStep &* 3
        var row = win.input
        var k = win.weights
        for _ in 0..<win.rows {
            var x = row
            for _ in 0..<win.taps {
                let w0 = V.load(k)
                let w1 = V.load(k, byteOffset: vectorBytes)
                let x0 = V.broadcast(x.load(as: Float.self))
                let x1 = V.broadcast(x.load(fromByteOffset: s1, as: Float.self))
                let x2 = V.broadcast(x.load(fromByteOffset: s2, as: Float.self))
                let x3 = V.broadcast(x.load(fromByteOffset: s3, as: Float.self))
                c0 = F.accumulate(c0, x0, w0)
                d0 = F.accumulate(d0, x0, w1)
                c1 = F.accumulate(c1, x1, w0)
                d1 = F.accumulate(d1, x1, w1)
                c2 = F.accumulate(c2, x2, w0)
                d2 = F.accumulate(d2, x2, w1)
                c3 = F.accumulate(c3, x3, w0)
                d3 = F.accumulate(d3, x3, w1)
                x += 4
                k += win.tapBytes
            }
            row += win.inputRowBytes
        }
        A.apply(c0).store(to: out)
        A.apply(d0).store(to: out, byteOffset: vectorBytes)
        A.apply(c1).store(to: out, byteOffset: p)
        A.apply(d1).store(to: out, byteOffset: p &+ vectorBytes)
        A.apply(c2).store(to: out, byteOffset: p &* 2)
        A.apply(d2).store(to: out, byteOffset: p &* 2 &+ vectorBytes)
        A.apply(c3).store(to: out, byteOffset: p &* 3)
        A.apply(d3).store(to: out, byteOffset: p &* 3 &+ vectorBytes)
    }

    /// Four columns, the last vector of channels.
    @inline(__always)
    private static func fourColumnsOneBlock<A: VectorActivation, F: MultiplyAccumulate, V: FloatVector>(
        _ win: RowWindow, _ bias: V, _: A.Type, _: F.Type, output out: UnsafeMutableRawPointer, pixelBytes p: Int
    ) {
        var (c0, c1, c2, c3) = (bias, bias, bias, bias)
        let s1 = win.columnStep, s2 = win.columnStep &* 2, s3 = win.columnStep &* 3
        var row = win.input
        var k = win.weights
        for _ in 0..<win.rows {
            var x = row
            for _ in 0..<win.taps {
                let w0 = V.load(k)
                c0 = F.accumulate(c0, V.broadcast(x.load(as: Float.self)), w0)
                c1 = F.accumulate(c1, V.broadcast(x.load(fromByteOffset: s1, as: Float.self)), w0)
                c2 = F.accumulate(c2, V.broadcast(x.load(fromByteOffset: s2, as: Float.self)), w0)
                c3 = F.accumulate(c3, V.broadcast(x.load(fromByteOffset: s3, as: Float.self)), w0)
                x += 4
                k += win.tapBytes
            }
            row += win.inputRowBytes
        }
        A.apply(c0).store(to: out)
        A.apply(c1).store(to: out, byteOffset: p)
        A.apply(c2).store(to: out, byteOffset: p &* 2)
        A.apply(c3).store(to: out, byteOffset: p &* 3)
    }
}
