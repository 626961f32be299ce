import CNN
import Testing

/// The one rule for OpenBLAS's thread count when several inferences run at once.
@Suite("OpenBLAS threading")
struct BLASThreadingTests {
    @Test func coresAreSharedOutAmongConcurrentInferences() {
        #expect(BLAS.threadsPerTask(concurrentTasks: 1, cores: 2) == 2)
        #expect(BLAS.threadsPerTask(concurrentTasks: 2, cores: 2) == 1)
        #expect(BLAS.threadsPerTask(concurrentTasks: 3, cores: 2) == 1)
        #expect(BLAS.threadsPerTask(concurrentTasks: 2, cores: 8) == 4)
        #expect(BLAS.threadsPerTask(concurrentTasks: 3, cores: 8) == 2)
        #expect(BLAS.threadsPerTask(concurrentTasks: 0, cores: 4) == 4)
    }

    /// Sets OpenBLAS to one thread (the value `AllocationTests` also uses, so the two can run
    /// concurrently).
    @Test func configureSetsOpenBLAS() {
        // The calibration sets OpenBLAS to one thread while it times and then restores the
        // count: let it finish (once per process) before setting the count here.
        _ = KernelCalibration.pointwise
        #expect(BLAS.configure(concurrentTasks: 4, cores: 2) == 1)
        #expect(BLAS.threadCount == 1)
    }
}
