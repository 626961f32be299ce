/// Any convolution as im2col + GEMM, one tile of output rows at a time so the scratch stays small
/// and in cache: for each tile and group, the receptive fields are gathered into a
/// `[rows, kh·kw·Cin/G]` matrix (zeros where the window hangs over the padding) and multiplied by
/// the group's `[kh·kw·Cin/G, Cout/G]` slice of the HWIO weights — by OpenBLAS, or by our
/// `PackedGEMM` (one per group, bias and activation fused) when `KernelCalibration` found it faster.
struct Im2ColConvolutionKernel: ConvolutionKernel {
    let parameters: ConvolutionParameters
    /// Output rows per tile.
    let tileRows: Int
    /// One packed GEMM per group, or `nil` to multiply with OpenBLAS.
    let packed: [PackedGEMM]?

    /// - Parameter variant: multiply with our packed GEMM in this variant, or with OpenBLAS when nil.
    init(parameters: ConvolutionParameters, variant: SIMDVariant? = nil, scratchBudget: Int = 1 << 18) {
        guard let variant else {
            self.init(parameters: parameters, packed: nil, scratchBudget: scratchBudget)
            return
        }
        let k = Self.patchLength(parameters)
        let coutG = parameters.outputChannelsPerGroup
        let packed = (0..<parameters.groups).map { group in
            PackedGEMM(
                weights: parameters.weights, k: k, n: coutG, ldb: parameters.outputChannels, column0: group * coutG,
                bias: parameters.epilogue.bias.map { $0[(group * coutG)..<((group + 1) * coutG)] },
                variant: variant)
        }
        self.init(parameters: parameters, packed: packed, scratchBudget: scratchBudget)
    }

    /// With one GEMM per group already packed (K = kh·kw·Cin/G, N = Cout/G), or `nil` to
    /// multiply the HWIO weights of `parameters` with OpenBLAS.
    init(parameters: ConvolutionParameters, packed: [PackedGEMM]?, scratchBudget: Int = 1 << 18) {
        self.tileRows = max(8, min(scratchBudget / max(Self.patchLength(parameters), 1), 4096))
        self.packed = packed
        var p = parameters
        if packed != nil {
            p.weights = .empty
            p.epilogue.bias = nil
        }
        self.parameters = p
    }

    /// With the weights of an earlier plan: one packed GEMM per group, or the HWIO weights and
    /// bias when OpenBLAS multiplies (`variant` nil).
    init(parameters: ConvolutionParameters, variant: SIMDVariant?, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        var p = parameters
        if let variant {
            var packed: [PackedGEMM] = []
            for group in 0..<p.groups {
                packed.append(try PackedGEMM(k: Self.patchLength(p), n: p.outputChannelsPerGroup, variant: variant, reading: reader, suffix: ".\(group)"))
            }
            self.init(parameters: p, packed: packed)
        } else {
            let taps = p.geometry.kernelHeight * p.geometry.kernelWidth
            p.weights = try reader.storage("weights", count: taps * p.inputChannelsPerGroup * p.outputChannels)
            p.epilogue.bias = try reader.optionalValues("bias", count: p.outputChannels)
            self.init(parameters: p, packed: nil)
        }
    }

    var preparedParameters: [PreparedParameter] {
        if let packed {
            return packed.indices.flatMap { packed[$0].preparedParameters(suffix: ".\($0)") }
        }
        return [PreparedParameter("weights", parameters.weights)] + (parameters.epilogue.bias.map { [PreparedParameter("bias", ParameterStorage($0))] } ?? [])
    }

    static func patchLength(_ p: ConvolutionParameters) -> Int {
        p.geometry.kernelHeight * p.geometry.kernelWidth * p.inputChannelsPerGroup
    }

    private var patchLength: Int { Self.patchLength(parameters) }

    func scratchCount(batch: Int) -> Int {
        min(tileRows, batch * parameters.outputPixelsPerSample) * patchLength
    }

    func run(batch: Int, _ io: KernelIO) {
        let p = parameters
        let g = p.geometry
        let input = io.input(0)
        let output = io.output
        let scratch = io.scratch
        let k = patchLength
        let cinG = p.inputChannelsPerGroup
        let coutG = p.outputChannelsPerGroup
        let pixels = p.outputPixelsPerSample
        let totalRows = batch * pixels
        p.weights.withUnsafeBufferPointer { w in
            var start = 0
            while start < totalRows {
                let rows = min(tileRows, totalRows - start)
                for group in 0..<p.groups {
                    for r in 0..<rows {
                        let row = start &+ r
                        let n = row / pixels
                        let pixel = row - n &* pixels
                        let oy = pixel / g.outputWidth
                        let ox = pixel - oy &* g.outputWidth
                        var dst = scratch + r &* k
                        let x0 = ox &* g.strideX &- g.padding.left
                        // The whole kernel row inside the input and undilated: its taps are one
                        // contiguous run of kw·Cin floats (all channels, one group).
                        let rowRun = p.groups == 1 && g.dilationX == 1 && x0 >= 0 && x0 &+ g.kernelWidth <= g.inputWidth
                        for ky in 0..<g.kernelHeight {
                            let iy = oy &* g.strideY &- g.padding.top &+ ky &* g.dilationY
                            let rowInside = iy >= 0 && iy < g.inputHeight
                            if rowInside && rowRun {
                                let src = input + ((n &* g.inputHeight &+ iy) &* g.inputWidth &+ x0) &* p.inputChannels
                                Self.copy(src, to: dst, count: g.kernelWidth &* cinG)
                                dst += g.kernelWidth &* cinG
                                continue
                            }
                            for kx in 0..<g.kernelWidth {
                                let ix = ox &* g.strideX &- g.padding.left &+ kx &* g.dilationX
                                if rowInside && ix >= 0 && ix < g.inputWidth {
                                    let src = input + (((n &* g.inputHeight &+ iy) &* g.inputWidth &+ ix) &* p.inputChannels &+ group &* cinG)
                                    Self.copy(src, to: dst, count: cinG)
                                } else {
                                    dst.update(repeating: 0, count: cinG)
                                }
                                dst += cinG
                            }
                        }
                    }
                    let c = output + (start &* p.outputChannels &+ group &* coutG)
                    if let packed {
                        packed[group].multiply(scratch, lda: k, rows: rows, into: c, ldc: p.outputChannels, activation: p.epilogue.activation)
                    } else {
                        BLAS.sgemm(
                            m: rows, n: coutG, k: k, a: scratch, lda: k,
                            b: w.baseAddress! + group &* coutG, ldb: p.outputChannels, c: c, ldc: p.outputChannels)
                    }
                }
                if packed == nil {
                    p.epilogue.apply(output + start &* p.outputChannels, rows: rows, columns: p.outputChannels, rowStride: p.outputChannels)
                }
                start &+= rows
            }
        }
    }

    /// Copies a short run of floats: vector moves, not a `memmove` call per tap (the stem's taps
    /// are 3 floats each, 27 per output pixel).
    @inline(__always)
    private static func copy(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(destination)
        var j = 0
        while j &+ 8 <= count {
            to.storeVector(from.loadUnaligned(fromByteOffset: j &* 4, as: SIMD8<Float>.self), toByteOffset: j &* 4)
            j &+= 8
        }
        while j < count {
            destination[j] = source[j]
            j &+= 1
        }
    }
}
