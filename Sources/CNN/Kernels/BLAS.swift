import COpenBLAS

/// OpenBLAS, wrapped: row-major single-precision GEMM and GEMV, on one OpenBLAS thread.
///
/// The process-wide thread count is set to 1 once, before the first call through this type, and
/// never changed (`ComputeBudget` says why); callers that want more cores split the work
/// themselves, as the kernels do.
@_spi(Benchmarks)
public enum BLAS {
    /// Sets OpenBLAS to one thread, once per process.
    private static let oneThread: Void = openblas_set_num_threads(1)

    /// Makes sure OpenBLAS runs on one thread: called before every GEMM and by `Network` when it
    /// plans, so that no OpenBLAS call of ours ever starts its thread pool.
    @inline(__always)
    static func useOneThread() { _ = oneThread }

    /// The thread count OpenBLAS currently uses (1 once any network was planned).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// `C[m×n] = A[m×k] · B[k×n] + beta · C`, row-major with leading dimensions.
    @inline(__always)
    static func sgemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        beta: Float = 0
    ) {
        useOneThread()
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), 1,
            a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y[n] = x[k] · A[k×n]`, row-major `A` with leading dimension `lda`: one row of a dense
    /// layer. OpenBLAS's GEMM packs all of `A` first even for one row, which costs as much as the
    /// product; GEMV streams it once.
    @inline(__always)
    static func sgemvTransposed(
        k: Int, n: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        useOneThread()
        cblas_sgemv(CblasRowMajor, CblasTrans, blasint(k), blasint(n), 1, a, blasint(lda), x, 1, 0, y, 1)
    }
}
