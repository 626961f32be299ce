@_spi(Benchmarks) import CNN
import Testing

/// The one owner of threads: the budget shares the cores among running inferences, and OpenBLAS
/// stays on one thread whatever the library does.
@Suite("Compute budget")
struct ComputeBudgetTests {
    @Test func coresAreSharedOutAmongRunningInferences() {
        let two = ComputeBudget(cores: 2, concurrentInferences: 2)
        #expect(two.layerThreads(running: 1) == 2)
        #expect(two.layerThreads(running: 2) == 1)
        #expect(two.layerThreads(running: 3) == 1, "never below one thread")
        let eight = ComputeBudget(cores: 8, concurrentInferences: 3)
        #expect(eight.layerThreads(running: 2) == 4)
        #expect(eight.layerThreads(running: 3) == 2)
        #expect(eight.layerThreads(running: 0) == 8)
        #expect(ComputeBudget(cores: 0, concurrentInferences: 0) == ComputeBudget(cores: 1, concurrentInferences: 1))
        #expect(ComputeBudget().cores == ProcessorCount.active)
    }

    /// Planning a network sets OpenBLAS to one thread; calibrating, running split layers and
    /// sharded batches leave it there.
    @Test func openBLASStaysOnOneThread() throws {
        var rng = SeededGenerator(seed: 3)
        var graph = Graph()
        let x = try graph.input("x", height: 12, width: 12, channels: 8)
        let conv = try graph.add("conv", .conv2d(Conv2D(outputChannels: 24, kernel: (1, 1), activation: .relu6)), x)
        graph.output(try graph.add("fc", .dense(Dense(units: 5)), conv), as: "y")
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng), options: PlanOptions(pointwise: .blas))
        #expect(BLAS.threadCount == 1)
        _ = KernelCalibration.pointwise
        #expect(BLAS.threadCount == 1)
        let input = try Tensor(shape: graph.shape(of: graph.inputs[0]).withBatch(4), scalars: rng.floats(4 * 12 * 12 * 8))
        try network.run(input, in: network.makeWorkspace(maxBatch: 4), threads: 2)
        try ParallelBatchRunner(network: network, maxBatch: 4, shards: 2).run(input)
        #expect(BLAS.threadCount == 1)
    }
}
