/// Turns a `Graph` and its weights into steps and a buffer plan: reads every parameter strictly,
/// folds BatchNorm into convolutions, fuses activations into their producers, picks a kernel per
/// layer and lays out the arena. All weight work happens here, once.
///
/// Given a `PreparedParameterFile` (written from an earlier plan of the same graph, weights and
/// options), it makes the same decisions but reads no weights: each kernel is bound to the
/// file's prepared parameters instead of folding and packing them again.
struct NetworkPlanner {
    private let graph: Graph
    let options: PlanOptions
    private let naming: ParameterNaming
    private var reader: WeightReader
    private let prepared: PreparedParameterFile?

    /// A step before its kernel is chosen, so later nodes can still fold or fuse into it.
    enum PendingKernel {
        case convolution(ConvolutionParameters)
        case batchNorm(gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float, activation: Activation)
        case activation(Activation)
        case maxPool(WindowGeometry)
        case avgPool(WindowGeometry, countIncludesPadding: Bool)
        case globalAvgPool
        case dense(inputs: Int, units: Int, weights: [Float], epilogue: Epilogue)
        case softmax
        case add(count: Int, activation: Activation)
        case concat([Int])
    }

    struct PendingStep {
        var name: String
        var kernel: PendingKernel
        var inputSlots: [Int]
        var outputSlot: Int
        /// Per-sample shape of the first input and of the output.
        var inputShape: Shape
        var outputShape: Shape
    }

    init(graph: Graph, weights: WeightReader, naming: ParameterNaming, options: PlanOptions, prepared: PreparedParameterFile? = nil) {
        self.graph = graph
        self.reader = weights
        self.naming = naming
        self.options = options
        self.prepared = prepared
    }

    struct Result {
        var steps: [Step]
        var slotShapes: [Shape]
        var inputSlots: [Int]
        var outputSlots: [(name: String, slot: Int, shape: Shape)]
        var buffers: BufferPlan
    }

    mutating func plan() throws(CNNError) -> Result {
        guard !graph.inputs.isEmpty else {
            throw CNNError(.invalidGraph, "The graph has no input; declare one with `graph.input(…)`.")
        }
        guard !graph.outputs.isEmpty else {
            throw CNNError(.invalidGraph, "The graph has no output; mark one with `graph.output(_:as:)`.")
        }
        let consumers = consumerCounts()
        let outputNodes = Set(graph.outputs.map(\.node.index))

        var slotShapes: [Shape] = []
        var slotOfNode = [Int](repeating: -1, count: graph.nodes.count)
        var producerOfSlot: [Int: Int] = [:]  // slot → index in `pending`
        var pending: [PendingStep] = []
        var inputSlots: [Int] = []

        func newSlot(_ shape: Shape) -> Int {
            slotShapes.append(shape)
            return slotShapes.count - 1
        }

        for (index, node) in graph.nodes.enumerated() {
            guard let operation = node.operation else {
                let slot = newSlot(node.shape)
                slotOfNode[index] = slot
                inputSlots.append(slot)
                continue
            }
            let inputSlotsOfNode = node.inputs.map { slotOfNode[$0.index] }
            let inputShape = graph.shape(of: node.inputs[0])
            // The producer of this node's only input, if this node may fold or fuse into it.
            let fusableProducer: Int? = {
                guard node.inputs.count == 1 else { return nil }
                let input = node.inputs[0].index
                guard consumers[input] == 1, !outputNodes.contains(input),
                    let producer = producerOfSlot[slotOfNode[input]],
                    pending[producer].name == graph.nodes[input].name  // not through a reshape view
                else { return nil }
                return producer
            }()

            func append(_ kernel: PendingKernel) {
                let slot = newSlot(node.shape)
                slotOfNode[index] = slot
                producerOfSlot[slot] = pending.count
                pending.append(PendingStep(
                    name: node.name, kernel: kernel, inputSlots: inputSlotsOfNode, outputSlot: slot,
                    inputShape: inputShape, outputShape: node.shape))
            }
            func merge(into stepIndex: Int, _ kernel: PendingKernel) {
                pending[stepIndex].kernel = kernel
                pending[stepIndex].name = node.name
                pending[stepIndex].outputShape = node.shape
                slotOfNode[index] = pending[stepIndex].outputSlot
            }

            switch operation {
            case .conv2d(let conv):
                append(.convolution(try convolutionParameters(node: node, conv: conv, input: inputShape)))

            case .batchNorm(let bn):
                let (gamma, beta, mean, variance) = try batchNormParameters(node: node, channels: node.shape.channels)
                if options.foldBatchNorm, let producer = fusableProducer,
                    case .convolution(var parameters) = pending[producer].kernel,
                    parameters.epilogue.activation == .none
                {
                    if prepared == nil {
                        Self.fold(&parameters, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: bn.epsilon)
                    }
                    merge(into: producer, .convolution(parameters))
                } else {
                    append(.batchNorm(gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: bn.epsilon, activation: .none))
                }

            case .activation(let activation):
                if options.fuseActivations, activation != .none, let producer = fusableProducer,
                    let fused = Self.fusing(activation, into: pending[producer].kernel)
                {
                    merge(into: producer, fused)
                } else {
                    append(.activation(activation))
                }

            case .maxPool(let pool):
                append(.maxPool(pool.geometry(input: inputShape)!))
            case .avgPool(let pool):
                append(.avgPool(pool.geometry(input: inputShape)!, countIncludesPadding: pool.countIncludesPadding))
            case .globalAvgPool:
                append(.globalAvgPool)
            case .dense(let dense):
                let inputs = inputShape.elementsPerSample
                let weight = try take(node, .weight, shape: [inputs, dense.units])
                let bias = dense.hasBias ? try take(node, .bias, shape: [dense.units]) : nil
                append(.dense(inputs: inputs, units: dense.units, weights: weight,
                              epilogue: Epilogue(bias: bias, activation: dense.activation)))
            case .softmax:
                append(.softmax)
            case .add(let activation):
                append(.add(count: node.inputs.count, activation: activation))
            case .concat:
                append(.concat(node.inputs.map { graph.shape(of: $0).channels }))
            case .flatten, .reshape, .dropout:
                // Same memory, new shape: the node is a view of its input.
                slotOfNode[index] = inputSlotsOfNode[0]
            }
        }

        if prepared == nil {
            do {
                try reader.finish()
            } catch {
                throw CNNError(.invalidWeights, layer: error.tensor, error.message, weightsError: error)
            }
        }

        // An output that is a view of a graph input gets its own copy: the caller's memory is
        // only borrowed during `run`.
        var outputSlots: [(name: String, slot: Int, shape: Shape)] = []
        for output in graph.outputs {
            let node = graph.node(output.node)
            var slot = slotOfNode[output.node.index]
            if inputSlots.contains(slot) {
                let copy = newSlot(node.shape)
                pending.append(PendingStep(
                    name: node.name, kernel: .activation(.none), inputSlots: [slot], outputSlot: copy,
                    inputShape: node.shape, outputShape: node.shape))
                slot = copy
            }
            outputSlots.append((output.name, slot, node.shape))
        }

        var steps: [Step] = []
        for step in pending {
            let kernel: any Kernel
            do {
                kernel = try self.kernel(step, reading: prepared.map { PreparedParameterReader(file: $0, step: step.name) })
            } catch {
                throw CNNError(.invalidWeights, layer: step.name, error.message)
            }
            steps.append(Step(name: step.name, kernel: kernel, inputSlots: step.inputSlots, outputSlot: step.outputSlot))
        }
        let buffers = Self.bufferPlan(steps: steps, slotShapes: slotShapes, inputSlots: inputSlots, outputSlots: outputSlots.map(\.slot))
        return Result(steps: steps, slotShapes: slotShapes, inputSlots: inputSlots, outputSlots: outputSlots, buffers: buffers)
    }

    // MARK: - Graph analysis

    private func consumerCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: graph.nodes.count)
        for node in graph.nodes {
            for input in node.inputs { counts[input.index] += 1 }
        }
        return counts
    }

    private static func bufferPlan(steps: [Step], slotShapes: [Shape], inputSlots: [Int], outputSlots: [Int]) -> BufferPlan {
        var first = [Int](repeating: 0, count: slotShapes.count)
        var last = [Int](repeating: 0, count: slotShapes.count)
        for (index, step) in steps.enumerated() {
            first[step.outputSlot] = index
            last[step.outputSlot] = max(last[step.outputSlot], index)
            for slot in step.inputSlots { last[slot] = max(last[slot], index) }
        }
        return BufferPlan(
            sizes: slotShapes.map(\.elementsPerSample), external: Set(inputSlots), outputs: Set(outputSlots),
            firstUse: first, lastUse: last)
    }

    // MARK: - Parameters

    /// The parameter's values; nothing (and nothing read) when binding to prepared parameters.
    private mutating func take(_ node: Graph.Node, _ role: ParameterRole, shape: [Int]) throws(CNNError) -> [Float] {
        guard prepared == nil else { return [] }
        let name = naming.name(node.name, node.operation!, role)
        do {
            return try reader.take(name, shape: shape).scalars
        } catch {
            throw CNNError(.invalidWeights, layer: node.name, "\(error.message)", weightsError: error)
        }
    }

    private mutating func convolutionParameters(node: Graph.Node, conv: Conv2D, input: Shape) throws(CNNError) -> ConvolutionParameters {
        let weights = try take(node, .weight, shape: conv.weightShape(inputChannels: input.channels))
        let bias = conv.hasBias ? try take(node, .bias, shape: [conv.outputChannels]) : nil
        return ConvolutionParameters(
            geometry: conv.geometry(input: input)!, inputChannels: input.channels,
            outputChannels: conv.outputChannels, groups: conv.groups, weights: ParameterStorage(weights),
            epilogue: Epilogue(bias: bias, activation: conv.activation))
    }

    private mutating func batchNormParameters(node: Graph.Node, channels: Int) throws(CNNError) -> ([Float], [Float], [Float], [Float]) {
        let gamma = try take(node, .gamma, shape: [channels])
        let beta = try take(node, .beta, shape: [channels])
        let mean = try take(node, .mean, shape: [channels])
        let variance = try take(node, .variance, shape: [channels])
        if let bad = variance.firstIndex(where: { $0 < 0 }) {
            throw CNNError(.invalidWeights, layer: node.name, "BatchNorm variance[\(bad)] = \(variance[bad]) is negative; a variance must be ≥ 0. Check the exporter's tensor order.")
        }
        return (gamma, beta, mean, variance)
    }

    // MARK: - Folding and fusion

    /// `w'[…, o] = w[…, o] · s[o]`, `b'[o] = (b[o] − mean[o]) · s[o] + beta[o]`,
    /// with `s = gamma / sqrt(variance + epsilon)`, computed in Double.
    private static func fold(_ p: inout ConvolutionParameters, gamma: [Float], beta: [Float], mean: [Float], variance: [Float], epsilon: Float) {
        let channels = p.outputChannels
        var scale = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            scale[c] = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
        }
        var weights = p.weights.takeArray()
        for i in weights.indices {
            weights[i] = Float(Double(weights[i]) * scale[i % channels])
        }
        p.weights = ParameterStorage(weights)
        var bias = p.epilogue.bias ?? [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let shifted: Double = (Double(bias[c]) - Double(mean[c])) * scale[c]
            bias[c] = Float(shifted + Double(beta[c]))
        }
        p.epilogue.bias = bias
    }

    private static func fusing(_ activation: Activation, into kernel: PendingKernel) -> PendingKernel? {
        switch kernel {
        case .convolution(var p) where p.epilogue.activation == .none:
            p.epilogue.activation = activation
            return .convolution(p)
        case .dense(let inputs, let units, let weights, var epilogue) where epilogue.activation == .none:
            epilogue.activation = activation
            return .dense(inputs: inputs, units: units, weights: weights, epilogue: epilogue)
        case .batchNorm(let g, let b, let m, let v, let e, .none):
            return .batchNorm(gamma: g, beta: b, mean: m, variance: v, epsilon: e, activation: activation)
        case .add(let count, .none):
            return .add(count: count, activation: activation)
        default:
            return nil
        }
    }
}
