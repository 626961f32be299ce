import CNN

/// MobileNetV2 (Sandler et al. 2018) as Keras builds it (`keras.applications.MobileNetV2`,
/// `include_top=False, pooling="avg"`), topped by the product's classification head:
/// Dense `embeddingUnits` ReLU (the embedding) → Dropout → Dense `classes` → softmax.
/// `Docs/Models.md` §2 lists every layer and tensor.
///
/// Graph (NHWC, input `"image"` `[N, R, R, 3]`, inputs scaled to −1…1):
/// - `Conv1` 3×3 stride 2 → 32·α, `bn_Conv1`, ReLU6;
/// - 17 inverted residual blocks (`blocks`), prefix `expanded_conv_` for block 0 and `block_<b>_`
///   after: `expand` 1×1 + `expand_BN` + ReLU6 (not in block 0), `depthwise` 3×3 + `depthwise_BN`
///   + ReLU6, `project` 1×1 + `project_BN` (linear), `add` of the block input when stride 1 and
///   in == out channels;
/// - `Conv_1` 1×1 → 1280, `Conv_1_bn`, ReLU6, global average pool → output `"features"`;
/// - `embedding` Dense + ReLU → output `"embedding"` `[N, 1, 1, embeddingUnits]`; `dropout`;
///   `logits` Dense → output `"logits"`; softmax → output `"probabilities"`.
///
/// Padding: Keras pads a stride-2 depthwise input with `correct_pad` (0 before, 1 after on an
/// even side, 1 and 1 on an odd side) and convolves "valid", which for a 3×3 kernel is exactly
/// TensorFlow "same"; `Conv1` is "same" itself. No convolution has a bias; BN epsilon 1e-3.
public struct MobileNetV2: Sendable, Hashable {
    /// One inverted residual block. `expandedChannels = inputChannels · expandRatio`.
    public struct Block: Sendable, Hashable {
        /// Keras layer-name prefix: `expanded_conv_` or `block_<b>_`.
        public var prefix: String
        public var inputChannels: Int
        public var outputChannels: Int
        public var stride: Int
        public var expandRatio: Int

        public var expandedChannels: Int { inputChannels * expandRatio }
        public var hasResidual: Bool { stride == 1 && inputChannels == outputChannels }
    }

    /// The base network's stages: (expansion t, output channels c, repeats n, first stride s).
    static let stages: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    public static let batchNormEpsilon: Float = 1e-3

    /// Width multiplier α (Keras `alpha`).
    public var alpha: Double
    /// Input height and width.
    public var resolution: Int
    /// Units of the embedding layer.
    public var embeddingUnits: Int
    /// Dropout rate after the embedding (training only; identity here).
    public var dropoutRate: Float
    /// Units of the `logits` layer.
    public var classes: Int

    public init(classes: Int, alpha: Double = 1.0, resolution: Int = 224, embeddingUnits: Int = 512, dropoutRate: Float = 0.5) {
        self.classes = classes
        self.alpha = alpha
        self.resolution = resolution
        self.embeddingUnits = embeddingUnits
        self.dropoutRate = dropoutRate
    }

    /// Keras 3 weight paths: `<layer>/kernel` for Conv2D, DepthwiseConv2D (Keras 3 names the
    /// depthwise weight `kernel` too) and Dense; `<layer>/bias`; BatchNorm `<layer>/gamma`,
    /// `/beta`, `/moving_mean`, `/moving_variance`.
    public static let parameterNaming = ParameterNaming { node, _, role in
        switch role {
        case .weight: "\(node)/kernel"
        case .bias: "\(node)/bias"
        case .gamma: "\(node)/gamma"
        case .beta: "\(node)/beta"
        case .mean: "\(node)/moving_mean"
        case .variance: "\(node)/moving_variance"
        }
    }

    /// The class count of a head file: the second dimension of `logits/kernel` `[units, N]`.
    public static func classes(in weights: SafeTensorsFile) -> Int? {
        guard let info = weights.info("logits/kernel"), info.shape.count == 2 else { return nil }
        return info.shape[1]
    }

    /// Keras `_make_divisible(v, 8)`: the nearest multiple of 8 (at least 8), bumped by 8 when
    /// rounding lost more than 10 %.
    public static func makeDivisible(_ value: Double) -> Int {
        var rounded = max(8, Int(value + 4) / 8 * 8)
        if Double(rounded) < 0.9 * value { rounded += 8 }
        return rounded
    }

    public var stemChannels: Int { Self.makeDivisible(32 * alpha) }

    /// 1280, widened only when α > 1 (as Keras does).
    public var lastChannels: Int { alpha > 1 ? Self.makeDivisible(1280 * alpha) : 1280 }

    /// The 17 blocks in order; block `b + 1` reads block `b`'s output, block 0 the stem.
    public var blocks: [Block] {
        var blocks: [Block] = []
        var channels = stemChannels
        for stage in Self.stages {
            let output = Self.makeDivisible(Double(Int(Double(stage.c) * alpha)))
            for repeatIndex in 0..<stage.n {
                let index = blocks.count
                blocks.append(Block(
                    prefix: index == 0 ? "expanded_conv_" : "block_\(index)_", inputChannels: channels,
                    outputChannels: output, stride: repeatIndex == 0 ? stage.s : 1, expandRatio: stage.t))
                channels = output
            }
        }
        return blocks
    }

    /// The inference graph described on the type.
    public func makeGraph() throws(ModelError) -> Graph {
        guard resolution >= 1, classes >= 1, embeddingUnits >= 1, alpha > 0 else {
            throw ModelError(
                .invalidConfiguration,
                "MobileNetV2 needs a positive resolution, class count, embedding size and alpha; got resolution \(resolution), \(classes) classes, \(embeddingUnits) embedding units, alpha \(alpha).")
        }
        do {
            return try buildGraph()
        } catch {
            throw ModelError(.invalidConfiguration, "MobileNetV2 at \(resolution)×\(resolution) cannot be built: \(error.message)", underlying: error)
        }
    }

    private func buildGraph() throws(CNNError) -> Graph {
        var graph = Graph()
        let batchNorm = Operation.batchNorm(BatchNorm(epsilon: Self.batchNormEpsilon))
        let relu6 = Operation.activation(.relu6)

        var x = try graph.input("image", height: resolution, width: resolution, channels: 3)
        x = try graph.add("Conv1", .conv2d(Conv2D(
            outputChannels: stemChannels, kernel: (3, 3), stride: (2, 2), padding: .same, hasBias: false)), x)
        x = try graph.add("bn_Conv1", batchNorm, x)
        x = try graph.add("Conv1_relu", relu6, x)

        for block in blocks {
            let p = block.prefix
            let blockInput = x
            if block.expandRatio != 1 {
                x = try graph.add("\(p)expand", .conv2d(Conv2D(
                    outputChannels: block.expandedChannels, kernel: (1, 1), padding: .same, hasBias: false)), x)
                x = try graph.add("\(p)expand_BN", batchNorm, x)
                x = try graph.add("\(p)expand_relu", relu6, x)
            }
            x = try graph.add("\(p)depthwise", .conv2d(.depthwise(
                channels: block.expandedChannels, kernel: (3, 3), stride: (block.stride, block.stride),
                padding: .same, hasBias: false)), x)
            x = try graph.add("\(p)depthwise_BN", batchNorm, x)
            x = try graph.add("\(p)depthwise_relu", relu6, x)
            x = try graph.add("\(p)project", .conv2d(Conv2D(
                outputChannels: block.outputChannels, kernel: (1, 1), padding: .same, hasBias: false)), x)
            x = try graph.add("\(p)project_BN", batchNorm, x)
            if block.hasResidual {
                x = try graph.add("\(p)add", .add(activation: .none), blockInput, x)
            }
        }

        x = try graph.add("Conv_1", .conv2d(Conv2D(
            outputChannels: lastChannels, kernel: (1, 1), padding: .valid, hasBias: false)), x)
        x = try graph.add("Conv_1_bn", batchNorm, x)
        x = try graph.add("out_relu", relu6, x)
        let features = try graph.add("global_average_pooling2d", .globalAvgPool, x)
        graph.output(features, as: ImageModel.OutputName.features)
        let embedding = try graph.add("embedding", .dense(Dense(units: embeddingUnits, activation: .relu)), features)
        graph.output(embedding, as: ImageModel.OutputName.embedding)
        x = try graph.add("dropout", .dropout(rate: dropoutRate), embedding)
        let logits = try graph.add("logits", .dense(Dense(units: classes)), x)
        graph.output(logits, as: ImageModel.OutputName.logits)
        let probabilities = try graph.add("activation", .softmax, logits)
        graph.output(probabilities, as: ImageModel.OutputName.probabilities)
        return graph
    }
}
