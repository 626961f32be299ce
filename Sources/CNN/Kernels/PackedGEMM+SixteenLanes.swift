import CInstructionSet

/// `PackedGEMM` with 16-lane vectors: the micro-kernels for AVX-512's 32 vector registers.
///
/// Two adjacent 16-column panels are read together: a 12×32 block of C lives in 24 accumulators,
/// leaving registers for the two weight vectors and a broadcast, and each step issues 24
/// multiply-adds against 2 vector loads and 12 broadcasts, so the two FMA pipes stay busy instead
/// of waiting on loads. Rows left after the 12-row blocks go through 4×32 blocks (the missing rows
/// of the last one read its last row and are not stored). A last single panel runs 12×16 blocks,
/// or the 8-lane 6×8 block when it holds at most 8 columns. On the small maps (7×7, 14×14) each
/// pair's weights are read from memory by the first block and reused from L1 by the few after it;
/// the last block of a pair prefetches the next pair, so that read overlaps multiplication.
/// Below AVX-512 these blocks compile to pairs or quadruples of narrower registers and spill: the
/// planner picks them only where they win (`KernelCalibration`), tests run them everywhere.
extension PackedGEMM {
    static let rowsPerWideBlock = 12

    func multiplyWide<A: VectorActivation, F: MultiplyAccumulate>(
        _ a: UnsafePointer<Float>, _ lda: Int, _ rows: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ panelRange: Range<Int>,
        _: A.Type, _: F.Type
    ) {
        let k = self.k
        let n = self.n
        let blockRows = Self.rowsPerWideBlock
        // Rows per chunk: their A (chunk · K floats) stays within ~128 KiB of L2.
        let chunkRows = max(blockRows, ((32768 / max(k, 1)) / blockRows) * blockRows)
        packedWeights.withUnsafeBufferPointer { packed in
            paddedBias.withUnsafeBufferPointer { bias in
                var chunkStart = 0
                while chunkStart < rows {
                    let chunkEnd = min(rows, chunkStart &+ chunkRows)
                    var panel = panelRange.lowerBound
                    while panel < panelRange.upperBound {
                        let weights = UnsafeRawPointer(packed.baseAddress! + panel &* k &* 16)
                        let panelBias = UnsafeRawPointer(bias.baseAddress! + panel &* 16)
                        let columns = min(32, n &- panel &* 16)
                        var row = chunkStart
                        if panel &+ 2 <= panelRange.upperBound {
                            let second = weights + k &* 64
                            // The next pair's weights: two panels of K·64 bytes from `second + K·64`.
                            let next = panel &+ 4 <= panelRange.upperBound ? second + k &* 64 : nil
                            while row &+ blockRows <= chunkEnd {
                                let isLast = row &+ blockRows &* 2 > chunkEnd
                                Self.block12x32(
                                    A.self, F.self, input: a + row &* lda, lda: lda, rows: blockRows, k: k, first: weights,
                                    second: second, bias: panelBias, output: c + (row &* ldc &+ panel &* 16), outputStride: ldc,
                                    columns: columns, prefetch: isLast ? next : nil)
                                row &+= blockRows
                            }
                            if chunkEnd &- row >= 8 {
                                Self.block12x32(
                                    A.self, F.self, input: a + row &* lda, lda: lda, rows: chunkEnd &- row, k: k, first: weights,
                                    second: second, bias: panelBias, output: c + (row &* ldc &+ panel &* 16), outputStride: ldc,
                                    columns: columns, prefetch: nil)
                                row = chunkEnd
                            }
                            while row < chunkEnd {
                                let count = min(4, chunkEnd &- row)
                                Self.block4x32(
                                    A.self, F.self, input: a + row &* lda, lda: lda, rows: count, k: k, first: weights,
                                    second: second, bias: panelBias, output: c + (row &* ldc &+ panel &* 16), outputStride: ldc,
                                    columns: columns)
                                row &+= count
                            }
                            panel &+= 2
                            continue
                        }
                        // One panel left in the range.
                        if columns <= 8 {
                            while row &+ 6 <= chunkEnd {
                                Self.block6x8(
                                    A.self, F.self, input: a + row &* lda, lda: lda, k: k, weights: weights, bias: panelBias,
                                    output: c + (row &* ldc &+ panel &* 16), outputStride: ldc, columns: columns)
                                row &+= 6
                            }
                            while row < chunkEnd {
                                Self.block1x8(
                                    A.self, F.self, input: a + row &* lda, k: k, weights: weights, bias: panelBias,
                                    output: c + (row &* ldc &+ panel &* 16), columns: columns)
                                row &+= 1
                            }
                        } else {
                            while row < chunkEnd {
                                let count = min(blockRows, chunkEnd &- row)
                                Self.block12x16(
                                    A.self, F.self, input: a + row &* lda, lda: lda, rows: count, k: k, weights: weights,
                                    bias: panelBias, output: c + (row &* ldc &+ panel &* 16), outputStride: ldc, columns: columns)
                                row &+= count
                            }
                        }
                        panel &+= 1
                    }
                    chunkStart = chunkEnd
                }
            }
        }
    }

    /// Twelve rows × two panels (`rows` < 12: the first `rows` are stored, the others repeat the
    /// last row's input and are dropped).
    @inline(__always)
    private static func block12x32<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, rows: Int, k: Int, first: UnsafeRawPointer,
        second: UnsafeRawPointer, bias: UnsafeRawPointer, output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int,
        prefetch: UnsafeRawPointer?
    ) {
        typealias V = SIMD16<Float>
        if let prefetch {
            block12x32(A.self, F.self, input: input, lda: lda, rows: rows, k: k, first: first, second: second, bias: bias,
                       output: output, outputStride: outputStride, columns: columns, Prefetching.self, prefetch)
        } else {
            block12x32(A.self, F.self, input: input, lda: lda, rows: rows, k: k, first: first, second: second, bias: bias,
                       output: output, outputStride: outputStride, columns: columns, NotPrefetching.self, first)
        }
    }

    /// The 12×32 block; `P` prefetches two cache lines of the next pair per step (its two panels
    /// are K·64 bytes each, read at the rate this block reads the current pair).
    @inline(__always)
    private static func block12x32<A: VectorActivation, F: MultiplyAccumulate, P: PrefetchPolicy>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, rows: Int, k: Int, first: UnsafeRawPointer,
        second: UnsafeRawPointer, bias: UnsafeRawPointer, output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int,
        _: P.Type, _ next: UnsafeRawPointer
    ) {
        typealias V = SIMD16<Float>
        let b0 = V.load(bias), b1 = V.load(bias, byteOffset: 64)
        var c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1
        var c40 = b0, c41 = b1, c50 = b0, c51 = b1, c60 = b0, c61 = b1, c70 = b0, c71 = b1
        var c80 = b0, c81 = b1, c90 = b0, c91 = b1, ca0 = b0, ca1 = b1, cb0 = b0, cb1 = b1
        let last = rows &- 1
        let a0 = input, a1 = input + lda &* min(1, last), a2 = input + lda &* min(2, last), a3 = input + lda &* min(3, last)
        let a4 = input + lda &* min(4, last), a5 = input + lda &* min(5, last), a6 = input + lda &* min(6, last)
        let a7 = input + lda &* min(7, last), a8 = input + lda &* min(8, last), a9 = input + lda &* min(9, last)
        let a10 = input + lda &* min(10, last), a11 = input + lda &* min(11, last)
        var w0p = first, w1p = second
        var p0 = next, p1 = next + k &* 64
        for i in 0..<k {
            let w0 = V.load(w0p), w1 = V.load(w1p)
            P.prefetch(p0)
            P.prefetch(p1)
            var x = V(repeating: a0[i])
            c00 = F.accumulate(c00, x, w0); c01 = F.accumulate(c01, x, w1)
            x = V(repeating: a1[i])
            c10 = F.accumulate(c10, x, w0); c11 = F.accumulate(c11, x, w1)
            x = V(repeating: a2[i])
            c20 = F.accumulate(c20, x, w0); c21 = F.accumulate(c21, x, w1)
            x = V(repeating: a3[i])
            c30 = F.accumulate(c30, x, w0); c31 = F.accumulate(c31, x, w1)
            x = V(repeating: a4[i])
            c40 = F.accumulate(c40, x, w0); c41 = F.accumulate(c41, x, w1)
            x = V(repeating: a5[i])
            c50 = F.accumulate(c50, x, w0); c51 = F.accumulate(c51, x, w1)
            x = V(repeating: a6[i])
            c60 = F.accumulate(c60, x, w0); c61 = F.accumulate(c61, x, w1)
            x = V(repeating: a7[i])
            c70 = F.accumulate(c70, x, w0); c71 = F.accumulate(c71, x, w1)
            x = V(repeating: a8[i])
            c80 = F.accumulate(c80, x, w0); c81 = F.accumulate(c81, x, w1)
            x = V(repeating: a9[i])
            c90 = F.accumulate(c90, x, w0); c91 = F.accumulate(c91, x, w1)
            x = V(repeating: a10[i])
            ca0 = F.accumulate(ca0, x, w0); ca1 = F.accumulate(ca1, x, w1)
            x = V(repeating: a11[i])
            cb0 = F.accumulate(cb0, x, w0); cb1 = F.accumulate(cb1, x, w1)
            w0p += 64
            w1p += 64
            p0 += 64
            p1 += 64
        }
        store32(A.apply(c00), A.apply(c01), to: output, columns: columns)
        if rows > 1 { store32(A.apply(c10), A.apply(c11), to: output + outputStride, columns: columns) }
        if rows > 2 { store32(A.apply(c20), A.apply(c21), to: output + outputStride &* 2, columns: columns) }
        if rows > 3 { store32(A.apply(c30), A.apply(c31), to: output + outputStride &* 3, columns: columns) }
        if rows > 4 { store32(A.apply(c40), A.apply(c41), to: output + outputStride &* 4, columns: columns) }
        if rows > 5 { store32(A.apply(c50), A.apply(c51), to: output + outputStride &* 5, columns: columns) }
        if rows > 6 { store32(A.apply(c60), A.apply(c61), to: output + outputStride &* 6, columns: columns) }
        if rows > 7 { store32(A.apply(c70), A.apply(c71), to: output + outputStride &* 7, columns: columns) }
        if rows > 8 { store32(A.apply(c80), A.apply(c81), to: output + outputStride &* 8, columns: columns) }
        if rows > 9 { store32(A.apply(c90), A.apply(c91), to: output + outputStride &* 9, columns: columns) }
        if rows > 10 { store32(A.apply(ca0), A.apply(ca1), to: output + outputStride &* 10, columns: columns) }
        if rows > 11 { store32(A.apply(cb0), A.apply(cb1), to: output + outputStride &* 11, columns: columns) }
    }

    /// Four rows × two panels (`rows` of them stored): eight accumulator chains, enough to cover
    /// the multiply-add latency at two per cycle.
    @inline(__always)
    private static func block4x32<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, rows: Int, k: Int, first: UnsafeRawPointer,
        second: UnsafeRawPointer, bias: UnsafeRawPointer, output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int
    ) {
        typealias V = SIMD16<Float>
        let b0 = V.load(bias), b1 = V.load(bias, byteOffset: 64)
        var c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1
        let last = rows &- 1
        let a0 = input, a1 = input + lda &* min(1, last), a2 = input + lda &* min(2, last), a3 = input + lda &* min(3, last)
        var w0p = first, w1p = second
        for i in 0..<k {
            let w0 = V.load(w0p), w1 = V.load(w1p)
            var x = V(repeating: a0[i])
            c00 = F.accumulate(c00, x, w0); c01 = F.accumulate(c01, x, w1)
            x = V(repeating: a1[i])
            c10 = F.accumulate(c10, x, w0); c11 = F.accumulate(c11, x, w1)
            x = V(repeating: a2[i])
            c20 = F.accumulate(c20, x, w0); c21 = F.accumulate(c21, x, w1)
            x = V(repeating: a3[i])
            c30 = F.accumulate(c30, x, w0); c31 = F.accumulate(c31, x, w1)
            w0p += 64
            w1p += 64
        }
        store32(A.apply(c00), A.apply(c01), to: output, columns: columns)
        if rows > 1 { store32(A.apply(c10), A.apply(c11), to: output + outputStride, columns: columns) }
        if rows > 2 { store32(A.apply(c20), A.apply(c21), to: output + outputStride &* 2, columns: columns) }
        if rows > 3 { store32(A.apply(c30), A.apply(c31), to: output + outputStride &* 3, columns: columns) }
    }

    /// Twelve rows × one panel (`rows` of them stored; the others repeat the last row).
    @inline(__always)
    private static func block12x16<A: VectorActivation, F: MultiplyAccumulate>(
        _: A.Type, _: F.Type, input: UnsafePointer<Float>, lda: Int, rows: Int, k: Int, weights: UnsafeRawPointer,
        bias: UnsafeRawPointer, output: UnsafeMutablePointer<Float>, outputStride: Int, columns: Int
    ) {
        typealias V = SIMD16<Float>
        let b = V.load(bias)
        var c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b
        let last = rows &- 1
        let a0 = input, a1 = input + lda &* min(1, last), a2 = input + lda &* min(2, last), a3 = input + lda &* min(3, last)
        let a4 = input + lda &* min(4, last), a5 = input + lda &* min(5, last), a6 = input + lda &* min(6, last)
        let a7 = input + lda &* min(7, last), a8 = input + lda &* min(8, last), a9 = input + lda &* min(9, last)
        let a10 = input + lda &* min(10, last), a11 = input + lda &* min(11, last)
        var w = weights
        for i in 0..<k {
            let w0 = V.load(w)
            c0 = F.accumulate(c0, V(repeating: a0[i]), w0)
            c1 = F.accumulate(c1, V(repeating: a1[i]), w0)
            c2 = F.accumulate(c2, V(repeating: a2[i]), w0)
            c3 = F.accumulate(c3, V(repeating: a3[i]), w0)
            c4 = F.accumulate(c4, V(repeating: a4[i]), w0)
            c5 = F.accumulate(c5, V(repeating: a5[i]), w0)
            c6 = F.accumulate(c6, V(repeating: a6[i]), w0)
            c7 = F.accumulate(c7, V(repeating: a7[i]), w0)
            c8 = F.accumulate(c8, V(repeating: a8[i]), w0)
            c9 = F.accumulate(c9, V(repeating: a9[i]), w0)
            c10 = F.accumulate(c10, V(repeating: a10[i]), w0)
            c11 = F.accumulate(c11, V(repeating: a11[i]), w0)
            w += 64
        }
        store16(A.apply(c0), to: output, columns: columns)
        if rows > 1 { store16(A.apply(c1), to: output + outputStride, columns: columns) }
        if rows > 2 { store16(A.apply(c2), to: output + outputStride &* 2, columns: columns) }
        if rows > 3 { store16(A.apply(c3), to: output + outputStride &* 3, columns: columns) }
        if rows > 4 { store16(A.apply(c4), to: output + outputStride &* 4, columns: columns) }
        if rows > 5 { store16(A.apply(c5), to: output + outputStride &* 5, columns: columns) }
        if rows > 6 { store16(A.apply(c6), to: output + outputStride &* 6, columns: columns) }
        if rows > 7 { store16(A.apply(c7), to: output + outputStride &* 7, columns: columns) }
        if rows > 8 { store16(A.apply(c8), to: output + outputStride &* 8, columns: columns) }
        if rows > 9 { store16(A.apply(c9), to: output + outputStride &* 9, columns: columns) }
        if rows > 10 { store16(A.apply(c10), to: output + outputStride &* 10, columns: columns) }
        if rows > 11 { store16(A.apply(c11), to: output + outputStride &* 11, columns: columns) }
    }

    /// Stores 16 values, or the first `columns` of them.
    @inline(__always)
    private static func store16(_ values: SIMD16<Float>, to output: UnsafeMutablePointer<Float>, columns: Int) {
        if columns >= 16 {
            values.store(to: UnsafeMutableRawPointer(output))
        } else {
            values.store(to: output, count: columns)
        }
    }

    /// Stores 32 values, or the first `columns` of them.
    @inline(__always)
    private static func store32(_ low: SIMD16<Float>, _ high: SIMD16<Float>, to output: UnsafeMutablePointer<Float>, columns: Int) {
        if columns == 32 {
            let raw = UnsafeMutableRawPointer(output)
            low.store(to: raw)
            high.store(to: raw, byteOffset: 64)
        } else {
            store16(low, to: output, columns: columns)
            if columns > 16 { store16(high, to: output + 16, columns: columns &- 16) }
        }
    }
}

/// Whether a micro-kernel issues prefetches, as a type it specialises on (no branch in the loop).
protocol PrefetchPolicy {
    static func prefetch(_ address: UnsafeRawPointer)
}

enum Prefetching: PrefetchPolicy {
    @inline(__always)
    static func prefetch(_ address: UnsafeRawPointer) { colecionador_prefetch(address) }
}

enum NotPrefetching: PrefetchPolicy {
    @inline(__always)
    static func prefetch(_ address: UnsafeRawPointer) {}
}
