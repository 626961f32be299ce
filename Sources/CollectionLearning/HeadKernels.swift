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
    /// moments, step. Unchecked indexing: the update touches every parameter at every step.
    static func adamW(
        _ theta: inout [Float], first: inout [Float], second: inout [Float], gradient: [Float],
        decay: Float, beta1: Float, beta2: Float, stepSize: Float, correction2: Float, epsilon: Float
    ) {
        precondition(first.count == theta.count && second.count == theta.count && gradient.count == theta.count, "tensor sizes")
        gradient.withUnsafeBufferPointer { g in
            theta.withUnsafeMutableBufferPointer { theta in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        for i in 0..<theta.count {
                            theta[i] *= decay
                            m[i] += (1 - beta1) * (g[i] - m[i])
                            v[i] = v[i] * beta2 + (1 - beta2) * g[i] * g[i]
                            theta[i] -= stepSize * (m[i] / (v[i].squareRoot() / correction2 + epsilon))
                        }
                    }
                }
            }
        }
    }
}
