@_spi(Benchmarks) import CNN
import Testing

/// Graph building, shape inference errors, strict weight binding, folding/fusion and workspaces.
@Suite("Network planning")
struct NetworkPlanningTests {
    private func block() throws -> Graph {
        var graph = Graph()
        let x = try graph.input("x", height: 9, width: 9, channels: 5)
        var h = try graph.add("conv", .conv2d(Conv2D(outputChannels: 12, kernel: (3, 3), stride: (2, 2), padding: .same, hasBias: false)), x)
        h = try graph.add("bn", .batchNorm(BatchNorm()), h)
        h = try graph.add("act", .activation(.relu6), h)
        let pooled = try graph.add("pool", .globalAvgPool, h)
        graph.output(try graph.add("fc", .dense(Dense(units: 4)), pooled), as: "logits")
        return graph
    }

    @Test func shapesAreInferredWhenNodesAreAdded() throws {
        let graph = try block()
        #expect(graph.shape(of: graph.node(named: "conv")!) == Shape(height: 5, width: 5, channels: 12))
        #expect(graph.shape(of: graph.node(named: "fc")!) == .vector(4))
    }

    @Test func aShapeErrorNamesTheLayer() throws {
        var graph = Graph()
        let a = try graph.input("a", height: 8, width: 8, channels: 3)
        let b = try graph.add("b", .conv2d(Conv2D(outputChannels: 4, kernel: (3, 3))), a)
        #expect(throws: CNNError.self) { try graph.add("sum", .add(activation: .none), a, b) }
        do {
            try graph.add("sum", .add(activation: .none), a, b)
        } catch {
            #expect(error.code == .shapeMismatch)
            #expect(error.layer == "sum")
        }
        do {
            try graph.add("grouped", .conv2d(Conv2D(outputChannels: 4, kernel: (1, 1), groups: 2)), a)
            Issue.record("groups not dividing channels was accepted")
        } catch {
            #expect(error.layer == "grouped")
        }
        do {
            try graph.add("big", .conv2d(Conv2D(outputChannels: 4, kernel: (11, 11))), a)
            Issue.record("an 11×11 window on an 8×8 input was accepted")
        } catch {
            #expect(error.code == .shapeMismatch && error.layer == "big")
        }
        do {
            try graph.add("b", .activation(.relu), a)
            Issue.record("a duplicate name was accepted")
        } catch {
            #expect(error.code == .invalidGraph)
        }
    }

    @Test func batchNormIsFoldedAndTheActivationFused() throws {
        var rng = SeededGenerator(seed: 1)
        let graph = try block()
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        // conv + bn + relu6 become one step; then pool and dense.
        #expect(network.stepCount == 3)
        let reference = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng), options: .reference)
        #expect(reference.stepCount == 5)
    }

    @Test func aConvolutionReadByTwoNodesIsNotFolded() throws {
        var graph = Graph()
        let x = try graph.input("x", height: 6, width: 6, channels: 4)
        let conv = try graph.add("conv", .conv2d(Conv2D(outputChannels: 4, kernel: (1, 1))), x)
        let bn = try graph.add("bn", .batchNorm(BatchNorm()), conv)
        graph.output(try graph.add("sum", .add(activation: .relu), conv, bn), as: "y")
        var rng = SeededGenerator(seed: 2)
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        #expect(network.stepCount == 3)
        try FastVersusReferenceTests.compare(graph, batch: 2, seed: 3, context: "conv feeding bn and add")
    }

    @Test func missingWrongShapeAndUnusedWeightsAreTypedErrorsNamingTheTensor() throws {
        let graph = try block()
        var rng = SeededGenerator(seed: 4)
        let good = try RandomWeights.file(for: graph, using: &rng)

        func file(_ edit: (inout [String: (shape: [Int], scalars: [Float])]) -> Void) throws -> SafeTensorsFile {
            var tensors: [String: (shape: [Int], scalars: [Float])] = [:]
            for info in good.tensors { tensors[info.name] = (info.shape, try good.tensor(info.name).scalars) }
            edit(&tensors)
            var writer = SafeTensorsWriter()
            for (name, t) in tensors.sorted(by: { $0.key < $1.key }) { writer.add(name, shape: t.shape, scalars: t.scalars) }
            return try SafeTensorsFile(bytes: writer.bytes())
        }

        func expectWeightsError(_ weights: SafeTensorsFile, _ code: WeightsError.Code, tensor: String) {
            do {
                _ = try Network(graph: graph, weights: weights)
                Issue.record("planning succeeded; expected \(code) for \(tensor)")
            } catch {
                #expect(error.code == .invalidWeights)
                #expect(error.weightsError?.code == code)
                #expect(error.message.contains(tensor), "message does not name \(tensor): \(error.message)")
            }
        }

        expectWeightsError(try file { $0["bn.variance"] = nil }, .missingTensor, tensor: "bn.variance")
        expectWeightsError(try file { $0["conv.weight"] = ([3, 3, 4, 12], [Float](repeating: 0.1, count: 3 * 3 * 4 * 12)) }, .shapeMismatch, tensor: "conv.weight")
        expectWeightsError(try file { $0["extra.weight"] = ([2], [1, 2]) }, .unusedTensors, tensor: "extra.weight")
        expectWeightsError(try file { $0["fc.bias"] = ([4], [0, .nan, 0, 0]) }, .nonFiniteValues, tensor: "fc.bias")
    }

    @Test func workspacesAreCheckedAndReusable() throws {
        var rng = SeededGenerator(seed: 5)
        let graph = try block()
        let weights = try RandomWeights.file(for: graph, using: &rng)
        let network = try Network(graph: graph, weights: weights)
        let other = try Network(graph: graph, weights: weights)
        let workspace = network.makeWorkspace(maxBatch: 2)
        let input = try Tensor(shape: Shape(batch: 2, height: 9, width: 9, channels: 5), scalars: rng.floats(2 * 9 * 9 * 5))

        #expect(throws: CNNError.self) { try workspace.output("logits") }  // before any run
        #expect(throws: CNNError.self) { try other.run(input, in: workspace) }
        let tooBig = try Tensor(shape: Shape(batch: 3, height: 9, width: 9, channels: 5), scalars: rng.floats(3 * 9 * 9 * 5))
        #expect(throws: CNNError.self) { try network.run(tooBig, in: workspace) }
        let wrongShape = try Tensor(shape: Shape(batch: 1, height: 8, width: 9, channels: 5), scalars: rng.floats(8 * 9 * 5))
        #expect(throws: CNNError.self) { try network.run(wrongShape, in: workspace) }

        try network.run(input, in: workspace)
        let first = try workspace.output("logits")
        try network.run(input, in: workspace)
        #expect(try workspace.output("logits") == first)
        #expect(throws: CNNError.self) { try workspace.output("nope") }

        // A smaller batch in the same workspace gives each sample the same answer.
        let single = try Tensor(shape: Shape(batch: 1, height: 9, width: 9, channels: 5), scalars: Array(input.sample(1)))
        try network.run(single, in: workspace)
        let alone = try workspace.output("logits")
        #expect(Tolerance(absolute: 1e-5, relative: 1e-5).firstViolation(alone.scalars, Array(first.sample(1))) == nil)

        var copy: [Float] = []
        copy.reserveCapacity(8)
        try workspace.copyOutput("logits", into: &copy)
        #expect(copy == alone.scalars)
        let sum = try workspace.withOutput("logits") { span in (0..<span.count).reduce(Float(0)) { $0 + span[$1] } }
        #expect(abs(sum - alone.scalars.reduce(0, +)) < 1e-5)
    }

    @Test func oneNetworkServesConcurrentCallersWithTheirOwnWorkspaces() async throws {
        var rng = SeededGenerator(seed: 6)
        let graph = try block()
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        let inputs = try (0..<8).map { _ in try Tensor(shape: Shape(height: 9, width: 9, channels: 5), scalars: rng.floats(9 * 9 * 5)) }
        let serial = try inputs.map { input in
            let workspace = network.makeWorkspace()
            try network.run(input, in: workspace)
            return try workspace.output("logits")
        }
        let parallel = try await withThrowingTaskGroup(of: (Int, Tensor).self) { group in
            for (i, input) in inputs.enumerated() {
                group.addTask {
                    let workspace = network.makeWorkspace()
                    var last: Tensor?
                    for _ in 0..<20 {
                        try network.run(input, in: workspace)
                        last = try workspace.output("logits")
                    }
                    return (i, last!)
                }
            }
            var results = [Tensor?](repeating: nil, count: inputs.count)
            for try await (i, t) in group { results[i] = t }
            return results.map { $0! }
        }
        #expect(parallel == serial)
    }

    @Test func arenaSharesMemoryBetweenValuesThatAreNotLiveTogether() throws {
        var graph = Graph()
        var h = try graph.input("x", height: 16, width: 16, channels: 8)
        for i in 0..<10 { h = try graph.add("c\(i)", .conv2d(Conv2D(outputChannels: 8, kernel: (3, 3), padding: .same, activation: .relu)), h) }
        graph.output(h, as: "y")
        var rng = SeededGenerator(seed: 8)
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        // Ten 16×16×8 values, but at most two live at once in the arena; the output has its own.
        let perValue = 16 * 16 * 8
        #expect(network.workspaceSize(batch: 1) <= 3 * perValue + 16 * 16 * 9 * 8)
        try FastVersusReferenceTests.compare(graph, batch: 2, seed: 9, context: "chain of ten convolutions")
    }
}

@Suite("Parallel batches")
struct ParallelBatchRunnerTests {
    @Test(arguments: [1, 2, 3])
    func shardedRunsEqualOneRun(_ shards: Int) throws {
        var rng = SeededGenerator(seed: 21)
        var graph = Graph()
        let x = try graph.input("x", height: 9, width: 9, channels: 6)
        var h = try graph.add("conv", .conv2d(Conv2D(outputChannels: 12, kernel: (3, 3), stride: (2, 2), padding: .same, activation: .relu6)), x)
        h = try graph.add("pool", .globalAvgPool, h)
        graph.output(try graph.add("fc", .dense(Dense(units: 5)), h), as: "logits")
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        let runner = ParallelBatchRunner(network: network, maxBatch: 7, shards: shards)
        for batch in [1, 4, 7] {
            let input = try Tensor(shape: Shape(batch: batch, height: 9, width: 9, channels: 6), scalars: rng.floats(batch * 9 * 9 * 6))
            try runner.run(input)
            var sharded: [Float] = []
            try runner.copyOutput("logits", into: &sharded)
            let workspace = network.makeWorkspace(maxBatch: batch)
            try network.run(input, in: workspace)
            let whole = try workspace.output("logits").scalars
            #expect(sharded.count == whole.count)
            #expect(Tolerance(absolute: 1e-5, relative: 1e-5).firstViolation(sharded, whole) == nil, "shards \(shards) batch \(batch)")
        }
        let tooBig = try Tensor(shape: Shape(batch: 8, height: 9, width: 9, channels: 6), scalars: rng.floats(8 * 9 * 9 * 6))
        #expect(throws: CNNError.self) { try runner.run(tooBig) }
    }
}

@Suite("Sample groups")
struct SampleGroupTests {
    /// Two inputs, a residual, and an output ("embedding") that a later step also reads: running
    /// a batch in groups must give every sample the answer of running it in one group.
    @Test(arguments: [1, 2, 3])
    func groupedRunsEqualOneGroup(_ groupSize: Int) throws {
        var rng = SeededGenerator(seed: 33)
        var graph = Graph()
        let x = try graph.input("x", height: 7, width: 7, channels: 4)
        let y = try graph.input("y", height: 7, width: 7, channels: 4)
        let a = try graph.add("conv_a", .conv2d(Conv2D(outputChannels: 8, kernel: (3, 3), stride: (1, 1), padding: .same, activation: .relu6)), x)
        let b = try graph.add("conv_b", .conv2d(Conv2D(outputChannels: 8, kernel: (1, 1), stride: (1, 1), padding: .valid)), y)
        var h = try graph.add("sum", .add(activation: .relu), a, b)
        h = try graph.add("pool", .globalAvgPool, h)
        let embedding = try graph.add("embedding", .dense(Dense(units: 6, activation: .relu)), h)
        graph.output(embedding, as: "embedding")
        graph.output(try graph.add("fc", .dense(Dense(units: 3)), embedding), as: "logits")
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))

        let batch = 5
        let shape = Shape(batch: batch, height: 7, width: 7, channels: 4)
        let inputs = [try Tensor(shape: shape, scalars: rng.floats(shape.elementCount)), try Tensor(shape: shape, scalars: rng.floats(shape.elementCount))]
        let whole = network.makeWorkspace(maxBatch: batch, groupSize: batch)
        let grouped = network.makeWorkspace(maxBatch: batch, groupSize: groupSize)
        #expect(grouped.groupSize == groupSize)
        try network.run(inputs, in: whole)
        try network.run(inputs, in: grouped)
        for name in ["embedding", "logits"] {
            let expected = try whole.output(name)
            let actual = try grouped.output(name)
            #expect(actual.shape == expected.shape)
            #expect(Tolerance(absolute: 1e-5, relative: 1e-5).firstViolation(actual.scalars, expected.scalars) == nil, "\(name), groups of \(groupSize)")
        }
        // A smaller batch afterwards reads only its own samples.
        let three = Shape(batch: 3, height: 7, width: 7, channels: 4)
        let small = [try Tensor(shape: three, scalars: Array(inputs[0].scalars[..<three.elementCount])), try Tensor(shape: three, scalars: Array(inputs[1].scalars[..<three.elementCount]))]
        try network.run(small, in: grouped)
        let expected = try whole.output("logits").scalars
        #expect(Tolerance(absolute: 1e-5, relative: 1e-5).firstViolation(try grouped.output("logits").scalars, Array(expected[..<9])) == nil)
    }

    @Test func largeActivationsRunOneSampleAtATime() throws {
        var rng = SeededGenerator(seed: 34)
        var graph = Graph()
        let x = try graph.input("x", height: 160, width: 160, channels: 16)
        let h = try graph.add("conv", .conv2d(Conv2D(outputChannels: 32, kernel: (1, 1), stride: (1, 1), padding: .valid)), x)
        graph.output(try graph.add("pool", .globalAvgPool, h), as: "pooled")
        let network = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng))
        // 160·160·32 floats per sample exceed the group budget: groups of one.
        #expect(network.makeWorkspace(maxBatch: 4).groupSize == 1)
    }
}
