import CNN
import Dispatch
import Synchronization
import Testing

/// `Network.run(_:in:threads:)`: layers split across threads give outputs bit-identical to one
/// thread (every element is computed by one thread, in the same order), and both agree with the
/// naive kernels within `FastVersusReferenceTests.tolerance`.
@Suite("Layers split across threads")
struct LayerThreadsTests {
    /// Every kernel that splits: the direct stem (stride 2), depthwise 3×3 and 5×5, 1×1
    /// convolutions over 400 rows (split into row bands) and over 100 rows with four 16-column
    /// panels (split into panel bands), with activations applied after the multiply (SiLU,
    /// sigmoid) that each band must apply to its own columns only.
    static func graph(activation: Activation) throws -> Graph {
        var graph = Graph()
        let x = try graph.input("x", height: 40, width: 40, channels: 3)
        let stem = try graph.add("stem", .conv2d(Conv2D(
            outputChannels: 32, kernel: (3, 3), stride: (2, 2), dilation: (1, 1), groups: 1, padding: .same, hasBias: true,
            activation: .relu6)), x)
        let dw = try graph.add("dw", .conv2d(Conv2D.depthwise(
            channels: 32, kernel: (3, 3), stride: (1, 1), dilation: (1, 1), padding: .same, activation: .relu6)), stem)
        let expand = try graph.add("expand", .conv2d(Conv2D(
            outputChannels: 72, kernel: (1, 1), stride: (1, 1), dilation: (1, 1), groups: 1, padding: .valid, hasBias: true,
            activation: activation)), dw)
        let dw2 = try graph.add("dw2", .conv2d(Conv2D.depthwise(
            channels: 72, kernel: (5, 5), stride: (2, 2), dilation: (1, 1), padding: .same, activation: .relu)), expand)
        let project = try graph.add("project", .conv2d(Conv2D(
            outputChannels: 56, kernel: (1, 1), stride: (1, 1), dilation: (1, 1), groups: 1, padding: .valid, hasBias: true,
            activation: activation)), dw2)
        graph.output(project, as: "y")
        return graph
    }

    static func outputs(_ network: Network, _ input: Tensor, threads: Int) throws -> [Float] {
        let workspace = network.makeWorkspace(maxBatch: input.shape.batch)
        try network.run(input, in: workspace, threads: threads)
        return try workspace.output("y").scalars
    }

    /// Packed 1×1 kernels only: with OpenBLAS's (`.blas`), the 1×1 steps are not split, and
    /// their last bits follow OpenBLAS's process-wide thread count, which other suites change
    /// while this one runs.
    @Test(arguments: FastVersusReferenceTests.simdVariants)
    func splitLayersMatchOneThread(_ options: PlanOptions) throws {
        var seed: UInt64 = 40
        for activation in [Activation.relu6, .silu, .sigmoid] {
            for batch in [1, 2] {
                seed += 1
                var rng = SeededGenerator(seed: seed)
                let graph = try Self.graph(activation: activation)
                let weights = try RandomWeights.file(for: graph, using: &rng)
                let network = try Network(graph: graph, weights: weights, options: options)
                let kernels = Set(network.stepDescriptions.map(\.kernel))
                #expect(kernels.isSuperset(of: ["DirectConvolutionKernel", "DepthwiseConvolutionKernel"]), "\(kernels)")
                let shape = graph.shape(of: graph.inputs[0]).withBatch(batch)
                let input = try Tensor(shape: shape, scalars: rng.floats(shape.elementCount))
                let one = try Self.outputs(network, input, threads: 1)
                for threads in [2, 3, 5] {
                    let split = try Self.outputs(network, input, threads: threads)
                    let differing = zip(one, split).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                    #expect(differing == 0, "\(options) \(activation) batch \(batch), \(threads) threads: \(differing) of \(one.count) outputs differ from one thread")
                }
                let reference = try Self.outputs(Network(graph: graph, weights: weights, options: .reference), input, threads: 1)
                if let bad = FastVersusReferenceTests.tolerance.firstViolation(one, reference) {
                    Issue.record("\(options) \(activation) batch \(batch): element \(bad.index) \(bad.actual) vs naive \(bad.expected)")
                }
            }
        }
    }

    /// Callers that ask for threads at the same time: one gets the helpers, the others run their
    /// parts themselves; every result is the one-thread result.
    @Test func concurrentCallersGetOneThreadResults() throws {
        var rng = SeededGenerator(seed: 77)
        let graph = try Self.graph(activation: .silu)
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng), options: PlanOptions(pointwise: .simd))
        let shape = graph.shape(of: graph.inputs[0]).withBatch(1)
        let inputs = try (0..<6).map { _ in try Tensor(shape: shape, scalars: rng.floats(shape.elementCount)) }
        let expected = try inputs.map { try Self.outputs(network, $0, threads: 1) }
        let workspaces = inputs.map { _ in network.makeWorkspace(maxBatch: 1) }
        let mismatches = Atomic<Int>(0)
        // Caller `index` uses only workspace `index`.
        nonisolated(unsafe) let spaces = workspaces
        for _ in 0..<4 {
            DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
                do {
                    try network.run(inputs[index], in: spaces[index], threads: 2)
                    let got = try spaces[index].output("y").scalars
                    if got.map(\.bitPattern) != expected[index].map(\.bitPattern) { mismatches.add(1, ordering: .relaxed) }
                } catch {
                    mismatches.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}
