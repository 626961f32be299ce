import COpenBLAS

/// OpenBLAS, wrapped: row-major single-precision GEMM and the one place where its thread count is
/// decided.
public enum BLAS {
    /// Sets OpenBLAS's thread count for the whole process. Call it once at start-up: 1 when
    /// requests (or batch shards) run in parallel on their own, the core count for one big batch.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS threads for each of `concurrentTasks` inferences running at once on `cores`
    /// cores: the cores shared out, at least one. More would oversubscribe them — and OpenBLAS's
    /// idle threads spin (`sched_yield`) for a while after every call, so two concurrent
    /// inferences with two OpenBLAS threads each left a whole core spinning.
    public static func threadsPerTask(concurrentTasks: Int, cores: Int) -> Int {
        max(1, cores / max(1, concurrentTasks))
    }

    /// Sets the thread count for `concurrentTasks` inferences at once on `cores` cores
    /// (`threadsPerTask`), and returns it.
    @discardableResult
    public static func configure(concurrentTasks: Int, cores: Int) -> Int {
        let threads = threadsPerTask(concurrentTasks: concurrentTasks, cores: cores)
        setThreadCount(threads)
        return threads
    }

    /// The thread count OpenBLAS currently uses.
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
        cblas_sgemv(CblasRowMajor, CblasTrans, blasint(k), blasint(n), 1, a, blasint(lda), x, 1, 0, y, 1)
    }
}
