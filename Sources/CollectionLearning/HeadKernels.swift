import COpenBLAS

/// The head's two hot loops, and the one place of this target that touches pointers: the
/// matrix products of its forward and backward passes (OpenBLAS), and the AdamW update.
enum HeadKernels {
    /// Row-major `C[m×n] = op(A)[m×k] · op(B)[k×n] + beta·C`, where `op` transposes when asked.
    static func multiply(
        _ a: [Float], transposeA: Bool = false, _ b: [Float], transposeB: Bool = false,
        into c: inout [Float], m: Int, n: Int, k: Int, beta: Float = 0
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "matrix sizes do not agree")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for i in 0..<(m * n) { c[i] *= beta }
            return
        }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(k), 1, a.baseAddress, blasint(transposeA ? m : k),
                        b.baseAddress, blasint(transposeB ? k : n), beta, c.baseAddress, blasint(n))
                }
            }
        }
    }

    /// The AdamW update of one tensor (see `AdamW`), in place: decay, first and second
    /// moments, step — eight parameters at a time (the update touches every parameter at every
    /// step, so it costs as much as the products when left scalar), the same operations in the
    /// same order for each element as the scalar tail, so results do not depend on the split.
    static func adamW(
        _ theta: inout [Float], first: inout [Float], second: inout [Float], gradient: [Float],
        decay: Float, beta1: Float, beta2: Float, stepSize: Float, correction2: Float, epsilon: Float
    ) {
        precondition(first.count == theta.count && second.count == theta.count && gradient.count == theta.count, "tensor sizes")
        typealias Lanes = SIMD8<Float>
        let count = theta.count
        gradient.withUnsafeBufferPointer { g in
            theta.withUnsafeMutableBufferPointer { theta in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        guard let gp = g.baseAddress, let tp = theta.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress else { return }
                        var i = 0
                        while i + Lanes.scalarCount <= count {
                            let gi = UnsafeRawPointer(gp + i).loadUnaligned(as: Lanes.self)
                            var ti = UnsafeRawPointer(tp + i).loadUnaligned(as: Lanes.self)
                            var mi = UnsafeRawPointer(mp + i).loadUnaligned(as: Lanes.self)
                            var vi = UnsafeRawPointer(vp + i).loadUnaligned(as: Lanes.self)
                            ti *= decay
                            mi += (1 - beta1) * (gi - mi)
                            vi = vi * beta2 + (1 - beta2) * gi * gi
                            ti -= stepSize * (mi / (vi.squareRoot() / correction2 + epsilon))
                            UnsafeMutableRawPointer(tp + i).storeBytes(of: ti, as: Lanes.self)
                            UnsafeMutableRawPointer(mp + i).storeBytes(of: mi, as: Lanes.self)
                            UnsafeMutableRawPointer(vp + i).storeBytes(of: vi, as: Lanes.self)
                            i += Lanes.scalarCount
                        }
                        while i < count {
                            tp[i] *= decay
                            mp[i] += (1 - beta1) * (gp[i] - mp[i])
                            vp[i] = vp[i] * beta2 + (1 - beta2) * gp[i] * gp[i]
                            tp[i] -= stepSize * (mp[i] / (vp[i].squareRoot() / correction2 + epsilon))
                            i += 1
                        }
                    }
                }
            }
        }
    }
}
