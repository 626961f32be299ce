/// Our own GEMM for the small-K products of mobile networks:
/// `C[rows × N] = act(A[rows × K] · B[K × N] + bias)`, row-major, A and C with leading dimensions.
///
/// B is packed once (at plan time) into column panels of 16 (`[N/16][K][16]`, the last panel
/// zero-padded) so the micro-kernel reads it sequentially; A is read in place, one broadcast per
/// row and `k`. The micro-kernel keeps a 6×16 block of C in 12 vector accumulators and applies
/// bias and activation before its only store — no packing of A, no separate epilogue pass. Rows
/// are processed in chunks whose A stays in L2 while every panel streams past.
///
/// With 16 lanes (`SIMDVariant`, for AVX-512's 32 registers) the same packed panels are read two
/// at a time: a 12×32 block of C in 24 accumulators (`PackedGEMM+SixteenLanes.swift`).
struct PackedGEMM: Sendable {
    let k: Int
    let n: Int
    let panels: Int
    /// `[panels][K][16]`: packed at plan time, or a view into a prepared-parameters file.
    let packedWeights: ParameterStorage
    /// `[panels · 16]`, zero-padded.
    let paddedBias: [Float]
    /// The micro-kernels' vector width and multiply-add.
    let variant: SIMDVariant

    static let panelWidth = 16
    static let rowsPerBlock = 6

    /// Packs B.
    /// - Parameters:
    ///   - weights: B, `[K × ldb]` row-major; columns `[column0, column0 + n)` are used.
    init(weights: ParameterStorage, k: Int, n: Int, ldb: Int, column0: Int = 0, bias: ArraySlice<Float>?, variant: SIMDVariant) {
        let width = Self.panelWidth
        let panels = Self.panelCount(n)
        var packed = [Float](repeating: 0, count: panels * k * width)
        weights.withUnsafeBufferPointer { weights in
            for panel in 0..<panels {
                for row in 0..<k {
                    for column in 0..<min(width, n - panel * width) {
                        packed[(panel * k + row) * width + column] = weights[row * ldb + column0 + panel * width + column]
                    }
                }
            }
        }
        var padded = [Float](repeating: 0, count: panels * width)
        if let bias { for (i, value) in bias.enumerated() { padded[i] = value } }
        self.init(k: k, n: n, packedWeights: ParameterStorage(packed), paddedBias: padded, variant: variant)
    }

    /// Uses B already packed (by the initializer above, read back from a prepared-parameters
    /// file): `packedWeights` holds `panels · K · 16` floats, `paddedBias` `panels · 16`.
    init(k: Int, n: Int, packedWeights: ParameterStorage, paddedBias: [Float], variant: SIMDVariant) {
        self.k = k
        self.n = n
        self.variant = variant
        panels = Self.panelCount(n)
        precondition(packedWeights.count == panels * k * Self.panelWidth && paddedBias.count == panels * Self.panelWidth)
        self.packedWeights = packedWeights
        self.paddedBias = paddedBias
    }

    /// Rows of C per micro-kernel block: a thread's band of rows starts on a block.
    var rowsPerBlock: Int { variant.lanes == .sixteen ? Self.rowsPerWideBlock : Self.rowsPerBlock }

    /// Panels read together by the micro-kernel: a thread's band of panels starts on a pair of them
    /// with 16 lanes.
    var panelsPerBlock: Int { variant.lanes == .sixteen ? 2 : 1 }

    /// Panels of 16 columns for N columns.
    static func panelCount(_ n: Int) -> Int { (n + panelWidth - 1) / panelWidth }

    /// The prepared parameters, by role, for `PreparedParameterFile`.
    func preparedParameters(suffix: String = "") -> [PreparedParameter] {
        [PreparedParameter("packed" + suffix, packedWeights), PreparedParameter("padded-bias" + suffix, ParameterStorage(paddedBias))]
    }

    /// The product packed by an earlier plan, read back by the roles `preparedParameters` lists.
    init(k: Int, n: Int, variant: SIMDVariant, reading reader: PreparedParameterReader, suffix: String = "") throws(PreparedParameterFile.Rejection) {
        let panels = Self.panelCount(n)
        self.init(
            k: k, n: n, packedWeights: try reader.storage("packed" + suffix, count: panels * k * Self.panelWidth),
            paddedBias: try reader.values("padded-bias" + suffix, count: panels * Self.panelWidth), variant: variant)
    }

    /// Computes `rows` rows of C, in the columns of `panels` (all of them by default: a part of
    /// the panels is one thread's share, `KernelParallelism`).
    func multiply(
        _ a: UnsafePointer<Float>, lda: Int, rows: Int, into c: UnsafeMutablePointer<Float>, ldc: Int, activation: Activation,
        panels: Range<Int>? = nil
    ) {
        let panels = panels ?? 0..<self.panels
        switch activation {
        case .none: multiply(a, lda, rows, c, ldc, panels, IdentityActivation.self)
        case .relu: multiply(a, lda, rows, c, ldc, panels, ReLUActivation.self)
        case .relu6: multiply(a, lda, rows, c, ldc, panels, ReLU6Activation.self)
        case .sigmoid, .silu, .hardSwish:
            multiply(a, lda, rows, c, ldc, panels, IdentityActivation.self)
            guard !panels.isEmpty else { return }
            let first = panels.lowerBound &* Self.panelWidth
            let end = min(n, panels.upperBound &* Self.panelWidth)
            Epilogue(bias: nil, activation: activation).apply(c + first, rows: rows, columns: end &- first, rowStride: ldc)
        }
    }

    private func multiply<A: VectorActivation>(
        _ a: UnsafePointer<Float>, _ lda: Int, _ rows: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ panels: Range<Int>,
        _ activation: A.Type
    ) {
        switch (variant.lanes, variant.fused) {
        case (.eight, false): multiply(a, lda, rows, c, ldc, panels, activation, SeparateMultiplyAdd.self)
        case (.eight, true): multiply(a, lda, rows, c, ldc, panels, activation, FusedMultiplyAdd.self)
        case (.sixteen, false): multiplyWide(a, lda, rows, c, ldc, panels, activation, SeparateMultiplyAdd.self)
        case (.sixteen, true): multiplyWide(a, lda, rows, c, ldc, panels, activation, FusedMultiplyAdd.self)
        }
    }

    private func multiply<A: VectorActivation, F: MultiplyAccumulate>(
        _ a: UnsafePointer<Float>, _ lda: Int, _ rows: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ panelRange: Range<Int>,
        _: A.Type, _: F.Type
    ) {
        let k = self.k
        let n = self.n
        // Rows per chunk: their A (chunk · K floats) stays within ~128 KiB of L2.
        let chunkRows = max(Self.rowsPerBlock, ((32768 / max(k, 1)) / Self.rowsPerBlock) * Self.rowsPerBlock)
        packedWeights.withUnsafeBufferPointer { packed in
            paddedBias.withUnsafeBufferPointer { bias in
                var chunkStart = 0
                while chunkStart < rows {
                    let chunkEnd = min(rows, chunkStart &+ chunkRows)
                    for panel in panelRange {
                        let panelWeights = UnsafeRawPointer(packed.baseAddress! + panel &* k &* 16)
                        let panelBias = UnsafeRawPointer(bias.baseAddress! + panel &* 16)
                        let columns = min(16, n &- panel &* 16)
                        var row = chunkStart
                        if columns <= 8 {
                            // A last panel of at most 8 columns (N = 24, 40, … in mobile
                            // networks' projections): half the multiply-adds of a 16-wide one.
                            while row &+ 6 <= chunkEnd {
                                Self.block6x8(
                                    A.self, F.self, input: a + row &* lda, lda: lda, k: k, weights: panelWeights, bias: panelBias,
                                    output: c + (row &* ldc &+ panel &* 16), outputStride: ldc, columns: columns)
                                row &+= 6
                            }
                            while row < chunkEnd {
                                Self.block1x8(
                                    A.self, F.self, input: a + row &* lda, k: k, weights: panelWeights, bias: panelBias,
                                    output: c + (row &* ldc &+ panel &* 16), columns: columns)
                                row &+= 1
                            }
                            continue
                        }
                        while row &+ 6 <= chunkEnd {
                            Self.block6x16(
                                A.self, F.self, input: a + row &* lda, lda: lda, rows: 6, k: k, weights: panelWeights, bias: panelBias,
                                output: c + (row &* ldc &+ panel &* 16), outputStride: ldc, columns: columns)
                            row &+= 6
                        }
                        if chunkEnd &- row >= 3 {
                            // Three to five rows left (M = 49 on 7×7 maps leaves 1, 196 on 14×14
                            // leaves 4): the 6-row block, its missing rows reading the last one and
                            // not stored, costs less than that many single rows, which wait on
                            // the latency of their few accumulator chains.
                            Self.block6x16(
                                A.self, F.self, input: a + row &* lda, lda: lda, rows: chunkEnd &- row, k: k, weights: panelWeights,
                                bias: panelBias, output: c + (row &* ldc &+ panel &* 16), outputStride: ldc, columns: columns)
                            row = chunkEnd
                        }
                        while row < chunkEnd {
                            Self.block1x16(
                                A.self, F.self, input: a + row &* lda, k: k, weights: panelWeights, bias: panelBias,
                                output: c + (row &* ldc &+ panel &* 16), columns: columns)
                            row &+= 1
                        }
                    }
                    chunkStart = chunkEnd
                }
            }
        }
    }

    /// Six rows of C (`rows` < 6: the first `rows` are stored, the others repeat the last row's
    /// input and are dropped).
    @inline(__always)
    private static func block6x16<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, rows: Int, k: Int, weights: UnsafeRawPointer,
        bias: UnsafeRawPointer, output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int
    ) {
        let b0 = bias.loadUnaligned(as: SIMD8<Float>.self)
        let b1 = bias.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1
        var c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1
        let last = rows &- 1
        let a0 = input, a1 = input + lda &* min(1, last), a2 = input + lda &* min(2, last)
        let a3 = input + lda &* min(3, last), a4 = input + lda &* min(4, last), a5 = input + lda &* min(5, last)
        var w = weights
        for i in 0..<k {
            let w0 = w.loadUnaligned(as: SIMD8<Float>.self)
            let w1 = w.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var a = SIMD8<Float>(repeating: a0[i])
            c00 = F.accumulate(c00, a, w0); c01 = F.accumulate(c01, a, w1)
            a = SIMD8<Float>(repeating: a1[i])
            c10 = F.accumulate(c10, a, w0); c11 = F.accumulate(c11, a, w1)
            a = SIMD8<Float>(repeating: a2[i])
            c20 = F.accumulate(c20, a, w0); c21 = F.accumulate(c21, a, w1)
            a = SIMD8<Float>(repeating: a3[i])
            c30 = F.accumulate(c30, a, w0); c31 = F.accumulate(c31, a, w1)
            a = SIMD8<Float>(repeating: a4[i])
            c40 = F.accumulate(c40, a, w0); c41 = F.accumulate(c41, a, w1)
            a = SIMD8<Float>(repeating: a5[i])
            c50 = F.accumulate(c50, a, w0); c51 = F.accumulate(c51, a, w1)
            w += 64
        }
        store(A.apply(c00), A.apply(c01), to: output, columns: columns)
        store(A.apply(c10), A.apply(c11), to: output + outputStride, columns: columns)
        store(A.apply(c20), A.apply(c21), to: output + outputStride &* 2, columns: columns)
        if rows > 3 { store(A.apply(c30), A.apply(c31), to: output + outputStride &* 3, columns: columns) }
        if rows > 4 { store(A.apply(c40), A.apply(c41), to: output + outputStride &* 4, columns: columns) }
        if rows > 5 { store(A.apply(c50), A.apply(c51), to: output + outputStride &* 5, columns: columns) }
    }

    @inline(__always)
    private static func block1x16<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, k: Int, weights: UnsafeRawPointer, bias: UnsafeRawPointer,
        output: UnsafeMutablePointer<Float>, columns: Int
    ) {
        // Even and odd k in separate accumulators: one row has too few independent chains to
        // hide the multiply-add latency (K = 1152 on the 7×7 maps).
        var c0 = bias.loadUnaligned(as: SIMD8<Float>.self)
        var c1 = bias.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        var d0 = SIMD8<Float>(repeating: 0), d1 = SIMD8<Float>(repeating: 0)
        var w = weights
        var i = 0
        while i &+ 2 <= k {
            let a = SIMD8<Float>(repeating: input[i])
            let b = SIMD8<Float>(repeating: input[i &+ 1])
            c0 = F.accumulate(c0, a, w.loadUnaligned(as: SIMD8<Float>.self))
            c1 = F.accumulate(c1, a, w.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            d0 = F.accumulate(d0, b, w.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            d1 = F.accumulate(d1, b, w.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            w += 128
            i &+= 2
        }
        if i < k {
            let a = SIMD8<Float>(repeating: input[i])
            c0 = F.accumulate(c0, a, w.loadUnaligned(as: SIMD8<Float>.self))
            c1 = F.accumulate(c1, a, w.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
        }
        store(A.apply(c0 + d0), A.apply(c1 + d1), to: output, columns: columns)
    }

    /// The 6×16 block for a panel whose columns 8…15 are padding: six accumulators, the first
    /// half of each packed row.
    @inline(__always)
    static func block6x8<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, k: Int, weights: UnsafeRawPointer, bias: UnsafeRawPointer,
        output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int
    ) {
        let b = bias.loadUnaligned(as: SIMD8<Float>.self)
        var c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b
        let a0 = input, a1 = input + lda, a2 = input + lda &* 2, a3 = input + lda &* 3, a4 = input + lda &* 4, a5 = input + lda &* 5
        var w = weights
        for i in 0..<k {
            let w0 = w.loadUnaligned(as: SIMD8<Float>.self)
            c0 = F.accumulate(c0, SIMD8<Float>(repeating: a0[i]), w0)
            c1 = F.accumulate(c1, SIMD8<Float>(repeating: a1[i]), w0)
            c2 = F.accumulate(c2, SIMD8<Float>(repeating: a2[i]), w0)
            c3 = F.accumulate(c3, SIMD8<Float>(repeating: a3[i]), w0)
            c4 = F.accumulate(c4, SIMD8<Float>(repeating: a4[i]), w0)
            c5 = F.accumulate(c5, SIMD8<Float>(repeating: a5[i]), w0)
            w += 64
        }
        store8(A.apply(c0), to: output, columns: columns)
        store8(A.apply(c1), to: output + outputStride, columns: columns)
        store8(A.apply(c2), to: output + outputStride &* 2, columns: columns)
        store8(A.apply(c3), to: output + outputStride &* 3, columns: columns)
        store8(A.apply(c4), to: output + outputStride &* 4, columns: columns)
        store8(A.apply(c5), to: output + outputStride &* 5, columns: columns)
    }

    @inline(__always)
    static func block1x8<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, k: Int, weights: UnsafeRawPointer, bias: UnsafeRawPointer,
        output: UnsafeMutablePointer<Float>, columns: Int
    ) {
        var c0 = bias.loadUnaligned(as: SIMD8<Float>.self)
        var w = weights
        for i in 0..<k {
            c0 = F.accumulate(c0, SIMD8<Float>(repeating: input[i]), w.loadUnaligned(as: SIMD8<Float>.self))
            w += 64
        }
        store8(A.apply(c0), to: output, columns: columns)
    }

    /// Stores 8 values, or the first `columns` of them.
    @inline(__always)
    static func store8(_ values: SIMD8<Float>, to output: UnsafeMutablePointer<Float>, columns: Int) {
        if columns == 8 {
            UnsafeMutableRawPointer(output).storeVector(values)
        } else {
            for c in 0..<columns { output[c] = values[c] }
        }
    }

    /// Stores 16 values, or the first `columns` of them in the last, partial panel.
    @inline(__always)
    private static func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, to output: UnsafeMutablePointer<Float>, columns: Int) {
        let raw = UnsafeMutableRawPointer(output)
        if columns == 16 {
            raw.storeVector(low)
            raw.storeVector(high, toByteOffset: 32)
        } else {
            for c in 0..<columns { output[c] = c < 8 ? low[c] : high[c &- 8] }
        }
    }
}
