import CAllocationCounter
@_spi(Benchmarks) import CNN
import Foundation
import Testing

/// After planning, `Network.run` allocates nothing: counted by the `CAllocationCounter` malloc
/// forwarders on this thread, with OpenBLAS on one thread so its work stays on this thread too.
@Suite("Allocations", .serialized)
struct AllocationTests {
    @Test func runAllocatesNothingAfterWarmUp() throws {
        try checkRunAllocatesNothing(preparedIn: nil)
    }

    /// With the layers split across two threads (`KernelThreadPool`): the calling thread, which
    /// hands every layer's job to the helper, allocates nothing either.
    @Test func runOnTwoThreadsAllocatesNothingAfterWarmUp() throws {
        try checkRunAllocatesNothing(preparedIn: nil, threads: 2)
    }

    /// Every SIMD variant (16 lanes, fused multiply-add, the packed 1×1 kernel), on one thread
    /// and on two: none allocates.
    @Test(arguments: FastVersusReferenceTests.simdVariants)
    func everySIMDVariantAllocatesNothing(_ options: PlanOptions) throws {
        try checkRunAllocatesNothing(preparedIn: nil, options: options)
        try checkRunAllocatesNothing(preparedIn: nil, threads: 2, options: options)
    }

    /// The same with the kernels bound to a mapped prepared-parameters file.
    @Test func runWithMappedParametersAllocatesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("allocation-tests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try checkRunAllocatesNothing(preparedIn: PreparedParameterCache(directory: directory))
    }

    private func checkRunAllocatesNothing(preparedIn cache: PreparedParameterCache?, threads: Int = 1, options: PlanOptions = PlanOptions()) throws {
        _ = KernelCalibration.pointwise
        var graph = Graph()
        let x = try graph.input("x", height: 17, width: 17, channels: 3)
        var h = try graph.add("stem", .conv2d(Conv2D(outputChannels: 16, kernel: (3, 3), stride: (2, 2), padding: .same, hasBias: false)), x)
        h = try graph.add("stem_bn", .batchNorm(BatchNorm()), h)
        h = try graph.add("stem_act", .activation(.relu6), h)
        let skip = h
        h = try graph.add("dw", .conv2d(.depthwise(channels: 16, kernel: (3, 3), padding: .same, activation: .relu6)), h)
        h = try graph.add("pw", .conv2d(Conv2D(outputChannels: 16, kernel: (1, 1))), h)
        h = try graph.add("add", .add(activation: .none), h, skip)
        h = try graph.add("pool", .maxPool(Pool2D(kernel: (2, 2), stride: (2, 2), padding: .same)), h)
        h = try graph.add("gap", .globalAvgPool, h)
        h = try graph.add("fc", .dense(Dense(units: 10)), h)
        graph.output(try graph.add("softmax", .softmax, h), as: "probabilities")
        var rng = SeededGenerator(seed: 12)
        let weights = try RandomWeights.file(for: graph, using: &rng)
        var network = try Network(graph: graph, weights: weights, options: options)
        if let cache {
            _ = try Network(graph: graph, weights: weights, options: options, preparedIn: cache, name: "allocations")
            network = try Network(graph: graph, weights: weights, options: options, preparedIn: cache, name: "allocations")
            #expect(network.preparedParameters.isShared)
            #expect(network.preparedParameterBytes.shared > 0)
        }
        let workspace = network.makeWorkspace(maxBatch: 4)
        let input = try Tensor(shape: Shape(batch: 4, height: 17, width: 17, channels: 3), scalars: rng.floats(4 * 17 * 17 * 3))
        var output: [Float] = []
        output.reserveCapacity(40)
        // Warm-up: OpenBLAS sets up its buffers and the Swift runtime its type metadata, once.
        try network.run(input, in: workspace, threads: threads)
        try workspace.copyOutput("probabilities", into: &output)

        colecionador_allocation_counting_begin()
        for _ in 0..<5 {
            try network.run(input, in: workspace, threads: threads)
            try workspace.copyOutput("probabilities", into: &output)
        }
        let allocations = colecionador_allocation_counting_end()
        #expect(allocations == 0)

        // The counter does count: making a copy of the output allocates.
        colecionador_allocation_counting_begin()
        let copy = try workspace.output("probabilities")
        let counted = colecionador_allocation_counting_end()
        #expect(counted >= 1)
        #expect(copy.scalars == output)
    }
}
