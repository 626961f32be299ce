/// Turns a `Graph` and its weights into steps and a buffer plan: reads every parameter strictly,
/// folds BatchNorm into convolutions, fuses activations into their producers, picks a kernel per
/// layer and lays out the arena. All weight work happens here, once.
///
/// Given a `PreparedParameterFile` (written from an earlier plan of the same graph, weights and
/// options), it makes the same decisions but reads no weights: each kernel is bound to the
/// file's prepared parameters instead of folding and packing them again.
struct NetworkPlanner {
    private let graph: Graph
    private let options: PlanOptions
    private let naming: ParameterNaming
    private var reader: WeightReader
    private let prepared: PreparedParameterFile?

    /// A step before its kernel is chosen, so later nodes can still fold or fuse into it.
    private enum PendingKernel {
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

    private struct PendingStep {
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
            if let prepared {
                do {
                    kernel = try bindKernel(step, prepared)
                } catch {
                    throw CNNError(.invalidWeights, layer: step.name, error.message)
                }
            } else {
                kernel = makeKernel(step)
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

    // MARK: - Kernel choice

    /// The fast kernel family of a convolution, with its variant resolved: the packed GEMM's
    /// (nil: OpenBLAS multiplies) for 1×1 and im2col, the convolution kernels' for the others.
    private enum ConvolutionChoice {
        case pointwise(SIMDVariant?)
        case depthwise(SIMDVariant)
        case direct(SIMDVariant)
        case im2col(SIMDVariant?)
    }

    /// Fused multiply-adds: as forced, or exactly when this build has the instruction.
    private var fusedMultiplyAdd: Bool {
        options.multiplyAdd.map { $0 == .fused } ?? InstructionSet.compiledWithFusedMultiplyAdd
    }

    /// The packed GEMM's variant, or nil when OpenBLAS multiplies.
    private var gemmVariant: SIMDVariant? {
        let multiplier = options.pointwise == .automatic ? KernelCalibration.pointwise : options.pointwise
        guard multiplier == .simd else { return nil }
        return SIMDVariant(lanes: options.vectorLanes ?? KernelCalibration.pointwiseLanes, fused: fusedMultiplyAdd)
    }

    /// The depthwise and direct kernels' variant.
    private var convolutionVariant: SIMDVariant {
        SIMDVariant(lanes: options.vectorLanes ?? KernelCalibration.convolutionLanes, fused: fusedMultiplyAdd)
    }

    private func convolutionChoice(_ p: ConvolutionParameters) -> ConvolutionChoice {
        let g = p.geometry
        if g.kernelHeight == 1, g.kernelWidth == 1, g.strideY == 1, g.strideX == 1, g.padding.isZero, p.groups == 1 {
            return .pointwise(gemmVariant)
        }
        if p.groups == p.inputChannels, p.groups == p.outputChannels { return .depthwise(convolutionVariant) }
        if DirectConvolutionKernel.supports(p) { return .direct(convolutionVariant) }
        return .im2col(gemmVariant)
    }

    private func makeKernel(_ step: PendingStep) -> any Kernel {
        let reference = options.kernels == .reference
        switch step.kernel {
        case .convolution(let p):
            if reference { return ConvolutionReferenceKernel(parameters: p) }
            switch convolutionChoice(p) {
            case .pointwise(let variant?): return PackedPointwiseConvolutionKernel(parameters: p, variant: variant)
            case .pointwise(nil): return PointwiseConvolutionKernel(parameters: p)
            case .depthwise(let variant): return DepthwiseConvolutionKernel(parameters: p, variant: variant)
            case .direct(let variant): return DirectConvolutionKernel(parameters: p, variant: variant)
            case .im2col(let variant): return Im2ColConvolutionKernel(parameters: p, variant: variant)
            }
        case .batchNorm(let gamma, let beta, let mean, let variance, let epsilon, let activation):
            let pixels = step.outputShape.height * step.outputShape.width
            if reference {
                return BatchNormReferenceKernel(
                    channels: gamma.count, pixelsPerSample: pixels, gamma: gamma, beta: beta, mean: mean,
                    variance: variance, epsilon: epsilon, activation: activation)
            }
            var scale = [Float](repeating: 0, count: gamma.count)
            var shift = [Float](repeating: 0, count: gamma.count)
            for c in gamma.indices {
                let s: Double = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
                scale[c] = Float(s)
                shift[c] = Float(Double(beta[c]) - Double(mean[c]) * s)
            }
            return ChannelAffineKernel(channels: gamma.count, pixelsPerSample: pixels, scale: scale, shift: shift, activation: activation)
        case .activation(let activation):
            return ActivationKernel(activation: activation, elementsPerSample: step.outputShape.elementsPerSample)
        case .maxPool(let geometry):
            return MaxPoolKernel(geometry: geometry, channels: step.outputShape.channels)
        case .avgPool(let geometry, let countIncludesPadding):
            return AvgPoolKernel(geometry: geometry, channels: step.outputShape.channels, countIncludesPadding: countIncludesPadding)
        case .globalAvgPool:
            return GlobalAvgPoolKernel(pixels: step.inputShape.height * step.inputShape.width, channels: step.inputShape.channels)
        case .dense(let inputs, let units, let weights, let epilogue):
            if reference { return DenseReferenceKernel(inputs: inputs, units: units, weights: weights, epilogue: epilogue) }
            return DenseKernel(inputs: inputs, units: units, weights: ParameterStorage(weights), epilogue: epilogue)
        case .softmax:
            return SoftmaxKernel(pixelsPerSample: step.outputShape.height * step.outputShape.width, channels: step.outputShape.channels)
        case .add(let count, let activation):
            return AddKernel(elementsPerSample: step.outputShape.elementsPerSample, inputCount: count, activation: activation)
        case .concat(let channels):
            return ConcatKernel(pixelsPerSample: step.outputShape.height * step.outputShape.width, inputChannels: channels)
        }
    }

    // MARK: - Binding to prepared parameters

    /// The kernel `makeKernel` would make, with the parameters it would compute read from `file`
    /// (views for the large ones); the names and counts are checked, so a file of another plan
    /// is rejected rather than misread.
    private func bindKernel(_ step: PendingStep, _ file: PreparedParameterFile) throws(PreparedParameterFile.Rejection) -> any Kernel {
        func name(_ role: String) -> String { "\(step.name)/\(role)" }
        let width = PackedGEMM.panelWidth
        switch step.kernel {
        case .convolution(var p):
            let cout = p.outputChannels
            let taps = p.geometry.kernelHeight * p.geometry.kernelWidth
            switch convolutionChoice(p) {
            case .pointwise(let variant?):
                let panels = PackedGEMM.panelCount(cout)
                let gemm = PackedGEMM(
                    k: p.inputChannels, n: cout,
                    packedWeights: try file.storage(name("packed"), count: panels * p.inputChannels * width),
                    paddedBias: try file.values(name("padded-bias"), count: panels * width), variant: variant)
                return PackedPointwiseConvolutionKernel(parameters: p, gemm: gemm)
            case .pointwise(nil):
                p.weights = try file.storage(name("weights"), count: p.inputChannels * cout)
                p.epilogue.bias = try file.optionalValues(name("bias"), count: cout)
                return PointwiseConvolutionKernel(parameters: p)
            case .depthwise(let variant):
                p.weights = try file.storage(name("weights"), count: taps * cout)
                p.epilogue.bias = try file.values(name("bias"), count: cout)
                return DepthwiseConvolutionKernel(parameters: p, variant: variant)
            case .direct(let variant):
                p.weights = try file.storage(name("weights"), count: taps * p.inputChannels * cout)
                p.epilogue.bias = try file.values(name("bias"), count: cout)
                return DirectConvolutionKernel(parameters: p, variant: variant)
            case .im2col(let variant?):
                let k = Im2ColConvolutionKernel.patchLength(p)
                let columns = p.outputChannelsPerGroup
                let panels = PackedGEMM.panelCount(columns)
                var packed: [PackedGEMM] = []
                for group in 0..<p.groups {
                    packed.append(PackedGEMM(
                        k: k, n: columns,
                        packedWeights: try file.storage(name("packed.\(group)"), count: panels * k * width),
                        paddedBias: try file.values(name("padded-bias.\(group)"), count: panels * width),
                        variant: variant))
                }
                return Im2ColConvolutionKernel(parameters: p, packed: packed)
            case .im2col(nil):
                p.weights = try file.storage(name("weights"), count: taps * p.inputChannelsPerGroup * cout)
                p.epilogue.bias = try file.optionalValues(name("bias"), count: cout)
                return Im2ColConvolutionKernel(parameters: p, packed: nil)
            }
        case .batchNorm(_, _, _, _, _, let activation):
            let channels = step.outputShape.channels
            return ChannelAffineKernel(
                channels: channels, pixelsPerSample: step.outputShape.height * step.outputShape.width,
                scale: try file.values(name("scale"), count: channels), shift: try file.values(name("shift"), count: channels),
                activation: activation)
        case .dense(let inputs, let units, _, let epilogue):
            return DenseKernel(
                inputs: inputs, units: units, weights: try file.storage(name("weights"), count: inputs * units),
                epilogue: Epilogue(bias: try file.optionalValues(name("bias"), count: units), activation: epilogue.activation))
        case .activation, .maxPool, .avgPool, .globalAvgPool, .softmax, .add, .concat:
            return makeKernel(step)
        }
    }
}
