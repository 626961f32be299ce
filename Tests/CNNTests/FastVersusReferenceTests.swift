import CNN
import Testing

/// Every fast kernel against its naive kernel over a seeded grid of shapes: kernel sizes,
/// strides, dilations, paddings, groups (depthwise too), channel counts that are not multiples of
/// the SIMD width, batch 1 and 3, every activation; BatchNorm folding and activation fusion on.
/// Tolerance |fast − naive| ≤ 1e-4 + 1e-4·|naive|. A failure prints the whole configuration.
@Suite("Fast kernels against naive kernels")
struct FastVersusReferenceTests {
    static let tolerance = Tolerance(absolute: 1e-4, relative: 1e-4)

    /// Every compiled form of our SIMD kernels, forced: 8 and 16 lanes, separate and fused
    /// multiply-adds (16 lanes and FMA are correct on any CPU; only their speed needs one).
    static let simdVariants: [PlanOptions] = PlanOptions.VectorLanes.allCases.flatMap { lanes in
        PlanOptions.MultiplyAdd.allCases.map { PlanOptions(pointwise: .simd, multiplyAdd: $0, vectorLanes: lanes) }
    }

    /// Runs `graph` under both plans on one random input and compares every output.
    static func compare(_ graph: Graph, batch: Int, seed: UInt64, context: String, options: PlanOptions = PlanOptions()) throws {
        var rng = SeededGenerator(seed: seed)
        let weights = try RandomWeights.file(for: graph, using: &rng)
        let inputShape = graph.shape(of: graph.inputs[0]).withBatch(batch)
        let input = try Tensor(shape: inputShape, scalars: rng.floats(inputShape.elementCount))
        let fast = try Network(graph: graph, weights: weights, options: options)
        let reference = try Network(graph: graph, weights: weights, options: .reference)
        let fastSpace = fast.makeWorkspace(maxBatch: batch)
        let referenceSpace = reference.makeWorkspace(maxBatch: batch)
        try fast.run(input, in: fastSpace)
        try reference.run(input, in: referenceSpace)
        for name in fast.outputNames {
            let a = try fastSpace.output(name)
            let b = try referenceSpace.output(name)
            #expect(a.shape == b.shape, "\(context): shape \(a.shape) vs \(b.shape)")
            if let bad = tolerance.firstViolation(a.scalars, b.scalars) {
                Issue.record("\(context) [\(fast.stepDescriptions.map(\.kernel))]: element \(bad.index) fast \(bad.actual) vs naive \(bad.expected) (\(tolerance))")
            }
        }
    }

    @Test func convolutionGrid() throws {
        var rng = SeededGenerator(seed: 2026_11_25)
        let kernels = [(1, 1), (3, 3), (5, 5), (1, 7), (3, 1), (2, 2)]
        let channelCounts = [1, 3, 5, 8, 13, 17, 24]
        var checked = 0
        var kernelsSeen: Set<String> = []
        while checked < 160 {
            let kernel = kernels.randomElement(using: &rng)!
            let stride = [1, 1, 2].randomElement(using: &rng)!
            let dilation = [1, 1, 1, 2].randomElement(using: &rng)!
            let cin = channelCounts.randomElement(using: &rng)!
            let groupChoice = Int.random(in: 0..<4, using: &rng)
            let groups = groupChoice == 0 ? cin : (groupChoice == 1 && cin % 2 == 0 ? 2 : 1)
            let cout = groups == cin ? cin * [1, 1, 2].randomElement(using: &rng)! : channelCounts.randomElement(using: &rng)! * (groups == 2 ? 2 : 1)
            let padding: Padding = [
                .valid, .same, .same, .symmetric(kernel.0 / 2),
                .explicit(top: 0, left: 1, bottom: 2, right: 1),
            ].randomElement(using: &rng)!
            let height = Int.random(in: 5...17, using: &rng)
            let width = Int.random(in: 5...17, using: &rng)
            let batch = [1, 1, 3].randomElement(using: &rng)!
            let activation = Activation.allCases.randomElement(using: &rng)!
            let hasBias = Bool.random(using: &rng)
            let conv = Conv2D(
                outputChannels: cout, kernel: kernel, stride: (stride, stride), dilation: (dilation, dilation),
                groups: groups, padding: padding, hasBias: hasBias, activation: activation)
            let context = "conv \(kernel) s\(stride) d\(dilation) g\(groups) \(cin)→\(cout) pad \(padding) in \(height)×\(width) batch \(batch) \(activation) bias \(hasBias)"
            var graph = Graph()
            let x = try graph.input("x", height: height, width: width, channels: cin)
            guard let y = try? graph.add("conv", .conv2d(conv), x) else { continue }
            graph.output(y, as: "y")
            try Self.compare(graph, batch: batch, seed: UInt64(checked), context: context)
            kernelsSeen.insert(try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng)).stepDescriptions[0].kernel)
            checked += 1
        }
        #expect(kernelsSeen == ["PointwiseConvolutionKernel", "Im2ColConvolutionKernel", "DepthwiseConvolutionKernel", "DirectConvolutionKernel"])
    }

    /// The direct kernel of few-input-channel convolutions (the stem) on rows wide enough for its
    /// four-column blocks and the single columns after them: 1–4 input channels, output channels
    /// of one or more 16-channel blocks with or without a last 8-channel block, windows that hang
    /// over the padding on either side or on none, a 1×1 window at stride 2.
    @Test(arguments: simdVariants)
    func directConvolutionOnWideRows(_ options: PlanOptions) throws {
        var seed: UInt64 = 900
        let paddings: [Padding] = [.same, .valid, .symmetric(1), .explicit(top: 0, left: 0, bottom: 2, right: 3)]
        for (kernel, stride) in [((3, 3), 2), ((3, 3), 1), ((5, 5), 2), ((1, 1), 2), ((3, 1), 1)] {
            for (width, cin, cout) in [(41, 3, 32), (23, 1, 8), (9, 4, 24), (18, 2, 40), (3, 3, 16), (11, 3, 56)] {
                for padding in paddings {
                    if padding == .valid && kernel.1 > width { continue }
                    var graph = Graph()
                    let x = try graph.input("x", height: 7, width: width, channels: cin)
                    let conv = Conv2D(
                        outputChannels: cout, kernel: kernel, stride: (stride, stride), dilation: (1, 1),
                        groups: 1, padding: padding, hasBias: seed % 2 == 0, activation: seed % 3 == 0 ? .relu : .relu6)
                    graph.output(try graph.add("conv", .conv2d(conv), x), as: "y")
                    seed += 1
                    let context = "direct \(options) \(kernel) s\(stride) \(padding) width \(width) \(cin)→\(cout)"
                    var rng = SeededGenerator(seed: seed)
                    let kernelName = try Network(graph: graph, weights: RandomWeights.file(for: graph, using: &rng)).stepDescriptions[0].kernel
                    #expect(kernelName == "DirectConvolutionKernel", "\(context): planned \(kernelName)")
                    try Self.compare(graph, batch: seed % 4 == 0 ? 2 : 1, seed: seed, context: context, options: options)
                }
            }
        }
    }

    /// Every spelled-out depthwise window (3×3, 5×5; stride 1, 2) on rows wide enough for the
    /// eight- and four-column blocks and the single columns after them, channel counts with and
    /// without a remainder past the last multiple of 8, dilation 2 through the generic window.
    /// 40 and 59 channels make a group of four 8-channel blocks followed by a shorter group (the
    /// one-column path runs four blocks at once, or one at a time); width 4 leaves no interior.
    /// With 16 lanes, 64 channels are one group of four vectors and 104 a group, two more vectors
    /// and a last 8 channels in an 8-lane vector; 24, 40 and 59 leave 8 or more past the 16s.
    @Test(arguments: simdVariants)
    func depthwiseWindowsOnWideRows(_ options: PlanOptions) throws {
        var seed: UInt64 = 500
        for kernel in [3, 5] {
            for stride in [1, 2] {
                for (width, channels) in [(9, 8), (23, 13), (41, 24), (14, 40), (4, 59), (10, 64), (9, 104)] {
                    for padding in [Padding.same, .valid] {
                        for dilation in [1, 2] where !(dilation == 2 && stride == 2) {
                            // A valid window wider than the row has no output.
                            if padding == .valid && (kernel - 1) * dilation + 1 > width { continue }
                            var graph = Graph()
                            let x = try graph.input("x", height: 6 + kernel, width: width, channels: channels)
                            let conv = Conv2D.depthwise(
                                channels: channels, kernel: (kernel, kernel), stride: (stride, stride), dilation: (dilation, dilation),
                                padding: padding, activation: .relu6)
                            graph.output(try graph.add("dw", .conv2d(conv), x), as: "y")
                            seed += 1
                            try Self.compare(
                                graph, batch: 1, seed: seed,
                                context: "depthwise \(options) \(kernel)×\(kernel) s\(stride) d\(dilation) \(padding) width \(width) channels \(channels)",
                                options: options)
                        }
                    }
                }
            }
        }
    }

    @Test func foldedAndFusedBlocksGrid() throws {
        var rng = SeededGenerator(seed: 7)
        for trial in 0..<40 {
            let cin = [3, 5, 8, 16, 19].randomElement(using: &rng)!
            let expand = cin * [1, 3, 6].randomElement(using: &rng)!
            let kernel = [3, 5].randomElement(using: &rng)!
            let stride = [1, 2].randomElement(using: &rng)!
            let size = Int.random(in: 6...15, using: &rng)
            let activation = Activation.allCases.randomElement(using: &rng)!
            var graph = Graph()
            let x = try graph.input("x", height: size, width: size, channels: cin)
            var h = try graph.add("expand", .conv2d(Conv2D(outputChannels: expand, kernel: (1, 1), hasBias: false)), x)
            h = try graph.add("expand_bn", .batchNorm(BatchNorm()), h)
            h = try graph.add("expand_act", .activation(activation), h)
            h = try graph.add("dw", .conv2d(.depthwise(channels: expand, kernel: (kernel, kernel), stride: (stride, stride), padding: .same, hasBias: false)), h)
            h = try graph.add("dw_bn", .batchNorm(BatchNorm(epsilon: 1e-5)), h)
            h = try graph.add("dw_act", .activation(.relu6), h)
            h = try graph.add("project", .conv2d(Conv2D(outputChannels: cin, kernel: (1, 1), hasBias: false)), h)
            h = try graph.add("project_bn", .batchNorm(BatchNorm()), h)
            if stride == 1 { h = try graph.add("residual", .add(activation: .none), h, x) }
            let pooled = try graph.add("pool", .globalAvgPool, h)
            let logits = try graph.add("fc", .dense(Dense(units: 11)), pooled)
            let probabilities = try graph.add("softmax", .softmax, logits)
            graph.output(logits, as: "logits")
            graph.output(probabilities, as: "probabilities")
            try Self.compare(graph, batch: trial % 3 + 1, seed: UInt64(trial), context: "block cin \(cin) expand \(expand) k\(kernel) s\(stride) \(size)×\(size) \(activation)")
        }
    }

    /// Each GEMM choice (OpenBLAS, packed SIMD in each variant, the calibrated one) for 1×1
    /// convolutions and for the GEMM after im2col, around the row blocks and 16- and 32-wide panels.
    @Test(arguments: [PlanOptions(pointwise: .blas), PlanOptions()] + simdVariants)
    func gemmKernelsGrid(_ options: PlanOptions) throws {
        var rng = SeededGenerator(seed: 13)
        for trial in 0..<30 {
            let (h, w) = (Int.random(in: 3...9, using: &rng), Int.random(in: 3...9, using: &rng))
            let groups = trial % 5 == 4 ? 2 : 1
            let cin = [1, 3, 8, 16, 17, 40].randomElement(using: &rng)! * groups
            let cout = [1, 7, 16, 17, 33, 48, 72].randomElement(using: &rng)! * groups
            let size = trial % 3 == 0 ? 3 : 1
            let stride = trial % 4 == 1 ? 2 : 1
            let activation = Activation.allCases.randomElement(using: &rng)!
            let hasBias = Bool.random(using: &rng)
            var graph = Graph()
            let x = try graph.input("x", height: h, width: w, channels: cin)
            let conv = Conv2D(
                outputChannels: cout, kernel: (size, size), stride: (stride, stride), groups: groups, padding: .same,
                hasBias: hasBias, activation: activation)
            graph.output(try graph.add("conv", .conv2d(conv), x), as: "y")
            try Self.compare(
                graph, batch: trial % 3 + 1, seed: UInt64(trial),
                context: "\(options) \(size)×\(size) s\(stride) g\(groups) \(h)×\(w) \(cin)→\(cout) \(activation) bias \(hasBias)",
                options: options)
        }
    }

    /// Every count of rows left after the row blocks (8 lanes: 6-row blocks, 1–2 rows left run one
    /// at a time, 3–5 through the 6-row block with its missing rows dropped; 16 lanes: 12-row
    /// blocks, 8–11 left through a partial 12-row block, fewer through 4-row blocks), for short
    /// and long K (odd, so the single-row tail step runs), panel pairs full and partial, a last
    /// single panel full or of at most 8 columns.
    @Test(arguments: simdVariants)
    func packedGEMMRowRemainders(_ options: PlanOptions) throws {
        var seed: UInt64 = 700
        for left in 0...11 {
            for cin in [7, 301] {
                for cout in [16, 24, 33, 48, 72] {
                    var graph = Graph()
                    let x = try graph.input("x", height: 1, width: 12 + left, channels: cin)
                    let conv = Conv2D(outputChannels: cout, kernel: (1, 1), activation: .relu6)
                    graph.output(try graph.add("conv", .conv2d(conv), x), as: "y")
                    seed += 1
                    // Batch 1: 12 + left rows, so `left` remain of 12 (left mod 6 of 6); batch 2: 2·left mod 12.
                    for batch in [1, 2] {
                        try Self.compare(
                            graph, batch: batch, seed: seed,
                            context: "\(options) rows \(batch * (12 + left)) \(cin)→\(cout)", options: options)
                    }
                }
            }
        }
    }

    @Test func denseGrid() throws {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<30 {
            let (h, w, c) = (Int.random(in: 1...4, using: &rng), Int.random(in: 1...4, using: &rng), Int.random(in: 1...40, using: &rng))
            let units = Int.random(in: 1...37, using: &rng)
            let activation = Activation.allCases.randomElement(using: &rng)!
            let hasBias = Bool.random(using: &rng)
            var graph = Graph()
            let x = try graph.input("x", height: h, width: w, channels: c)
            let y = try graph.add("fc", .dense(Dense(units: units, hasBias: hasBias, activation: activation)), x)
            graph.output(y, as: "y")
            try Self.compare(graph, batch: trial % 4 + 1, seed: UInt64(trial), context: "dense \(h)×\(w)×\(c) → \(units) \(activation) bias \(hasBias)")
        }
    }
}
