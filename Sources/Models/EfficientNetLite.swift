import CNN

/// The EfficientNet-Lite family (tensorflow/tpu `models/official/efficientnet/lite`): EfficientNet
/// without squeeze-and-excitation, with ReLU6 instead of swish, and with the stem (32 channels)
/// and head (1280 channels) fixed across widths. The architecture is a function of a width and a
/// depth multiplier and an input resolution; `Docs/Models.md` §1 tabulates every variant.
///
/// Graph (NHWC, input `"image"` `[N, R, R, 3]`):
/// - stem: 3×3 stride-2 convolution → 32, BatchNorm, ReLU6;
/// - MBConv blocks (`blocks`): optional 1×1 expansion + BN + ReLU6, depthwise k×k + BN + ReLU6,
///   1×1 projection + BN (linear), plus the block input when stride 1 and in == out channels;
/// - head: 1×1 convolution → 1280, BN, ReLU6; global average pool → output `"features"`
///   `[N, 1, 1, 1280]`; dropout (identity at inference); dense → output `"logits"`
///   `[N, 1, 1, classes]`; softmax → output `"probabilities"`.
///
/// Every convolution pads like TensorFlow "same" (extra row/column at the bottom/right), has no
/// bias, and every BatchNorm uses epsilon 1e-3. Node names are the tensor-name prefixes of the
/// exported PyTorch port (`_conv_stem`, `_bn0`, `_blocks.3._depthwise_conv`, `_fc`, …), so
/// `parameterNaming` (`ParameterNaming.dotted`) reads `_blocks.3._bn1.gamma` and so on.
public struct EfficientNetLite: Sendable, Hashable {
    /// The published variants and their (width, depth, resolution, dropout).
    public enum Variant: String, Sendable, CaseIterable {
        case lite0 = "efficientnet-lite0"
        case lite1 = "efficientnet-lite1"
        case lite2 = "efficientnet-lite2"
        case lite3 = "efficientnet-lite3"
        case lite4 = "efficientnet-lite4"
    }

    /// One stage of the base (width 1, depth 1) network: `repeats` blocks; the first has
    /// `stride`, the rest stride 1.
    public struct Stage: Sendable, Hashable {
        public var repeats: Int
        public var kernel: Int
        public var stride: Int
        public var expandRatio: Int
        public var outputChannels: Int
    }

    /// One MBConv block of the scaled network. `expandedChannels = inputChannels · expandRatio`.
    public struct Block: Sendable, Hashable {
        public var inputChannels: Int
        public var outputChannels: Int
        public var kernel: Int
        public var stride: Int
        public var expandRatio: Int

        public var expandedChannels: Int { inputChannels * expandRatio }
        /// The residual connection exists iff the block keeps both size and channel count.
        public var hasResidual: Bool { stride == 1 && inputChannels == outputChannels }
    }

    /// The seven stages of EfficientNet-B0, which every Lite variant scales.
    public static let baseStages: [Stage] = [
        Stage(repeats: 1, kernel: 3, stride: 1, expandRatio: 1, outputChannels: 16),
        Stage(repeats: 2, kernel: 3, stride: 2, expandRatio: 6, outputChannels: 24),
        Stage(repeats: 2, kernel: 5, stride: 2, expandRatio: 6, outputChannels: 40),
        Stage(repeats: 3, kernel: 3, stride: 2, expandRatio: 6, outputChannels: 80),
        Stage(repeats: 3, kernel: 5, stride: 1, expandRatio: 6, outputChannels: 112),
        Stage(repeats: 4, kernel: 5, stride: 2, expandRatio: 6, outputChannels: 192),
        Stage(repeats: 1, kernel: 3, stride: 1, expandRatio: 6, outputChannels: 320),
    ]

    public static let stemChannels = 32
    public static let headChannels = 1280
    public static let batchNormEpsilon: Float = 1e-3

    /// Channel multiplier applied to every stage's output channels (see `roundFilters`).
    public var widthMultiplier: Double
    /// Repeat multiplier applied to every stage except the first and the last.
    public var depthMultiplier: Double
    /// Input height and width.
    public var resolution: Int
    /// Dropout rate before the classifier (training only; identity here).
    public var dropoutRate: Float
    /// Units of the classifier.
    public var classes: Int

    public init(widthMultiplier: Double, depthMultiplier: Double, resolution: Int, dropoutRate: Float, classes: Int = 1000) {
        self.widthMultiplier = widthMultiplier
        self.depthMultiplier = depthMultiplier
        self.resolution = resolution
        self.dropoutRate = dropoutRate
        self.classes = classes
    }

    /// A published variant, with `classes` classifier units (1000 for ImageNet).
    public init(_ variant: Variant, classes: Int = 1000) {
        switch variant {
        case .lite0: self.init(widthMultiplier: 1.0, depthMultiplier: 1.0, resolution: 224, dropoutRate: 0.2, classes: classes)
        case .lite1: self.init(widthMultiplier: 1.0, depthMultiplier: 1.1, resolution: 240, dropoutRate: 0.2, classes: classes)
        case .lite2: self.init(widthMultiplier: 1.1, depthMultiplier: 1.2, resolution: 260, dropoutRate: 0.3, classes: classes)
        case .lite3: self.init(widthMultiplier: 1.2, depthMultiplier: 1.4, resolution: 280, dropoutRate: 0.3, classes: classes)
        case .lite4: self.init(widthMultiplier: 1.4, depthMultiplier: 1.8, resolution: 300, dropoutRate: 0.3, classes: classes)
        }
    }

    /// Tensor names are `<node>.<role>`: `_conv_stem.weight`, `_bn0.gamma`, `_bn0.mean`,
    /// `_blocks.0._depthwise_conv.weight`, `_fc.weight`, `_fc.bias`, ….
    public static let parameterNaming = ParameterNaming.dotted

    /// `round_filters` of tensorflow/tpu with divisor 8: the nearest multiple of 8 to
    /// `channels · width` (at least 8), bumped by 8 when rounding lost more than 10 %.
    public static func roundFilters(_ channels: Int, width: Double) -> Int {
        let scaled = Double(channels) * width
        var rounded = max(8, Int(scaled + 4) / 8 * 8)
        if Double(rounded) < 0.9 * scaled { rounded += 8 }
        return rounded
    }

    /// The scaled stages: channels rounded by `roundFilters`, repeats `ceil(depth · repeats)`
    /// except for the first and last stage, which keep one block (`fix_head_stem`).
    public var stages: [Stage] {
        Self.baseStages.enumerated().map { index, base in
            var stage = base
            stage.outputChannels = Self.roundFilters(base.outputChannels, width: widthMultiplier)
            if index != 0 && index != Self.baseStages.count - 1 {
                stage.repeats = Int((depthMultiplier * Double(base.repeats)).rounded(.up))
            }
            return stage
        }
    }

    /// Every MBConv block in order; block `i + 1` reads block `i`'s output, block 0 the stem.
    public var blocks: [Block] {
        var blocks: [Block] = []
        var channels = Self.stemChannels
        for stage in stages {
            for repeatIndex in 0..<stage.repeats {
                blocks.append(Block(
                    inputChannels: channels, outputChannels: stage.outputChannels, kernel: stage.kernel,
                    stride: repeatIndex == 0 ? stage.stride : 1, expandRatio: stage.expandRatio))
                channels = stage.outputChannels
            }
        }
        return blocks
    }

    /// The inference graph described on the type.
    public func makeGraph() throws(ModelError) -> Graph {
        guard resolution >= 1, classes >= 1, widthMultiplier > 0, depthMultiplier > 0 else {
            throw ModelError(
                .invalidConfiguration,
                "EfficientNet-Lite needs a positive resolution, class count and multipliers; got resolution \(resolution), \(classes) classes, width \(widthMultiplier), depth \(depthMultiplier).")
        }
        do {
            return try buildGraph()
        } catch {
            throw ModelError(.invalidConfiguration, "EfficientNet-Lite at \(resolution)×\(resolution) cannot be built: \(error.message)", underlying: error)
        }
    }

    private func buildGraph() throws(CNNError) -> Graph {
        var graph = Graph()
        let batchNorm = Operation.batchNorm(BatchNorm(epsilon: Self.batchNormEpsilon))
        let relu6 = Operation.activation(.relu6)

        var x = try graph.input("image", height: resolution, width: resolution, channels: 3)
        x = try graph.add("_conv_stem", .conv2d(Conv2D(
            outputChannels: Self.stemChannels, kernel: (3, 3), stride: (2, 2), padding: .same, hasBias: false)), x)
        x = try graph.add("_bn0", batchNorm, x)
        x = try graph.add("_stem_relu6", relu6, x)

        for (index, block) in blocks.enumerated() {
            let prefix = "_blocks.\(index)."
            let blockInput = x
            if block.expandRatio != 1 {
                x = try graph.add("\(prefix)_expand_conv", .conv2d(Conv2D(
                    outputChannels: block.expandedChannels, kernel: (1, 1), padding: .same, hasBias: false)), x)
                x = try graph.add("\(prefix)_bn0", batchNorm, x)
                x = try graph.add("\(prefix)_expand_relu6", relu6, x)
            }
            x = try graph.add("\(prefix)_depthwise_conv", .conv2d(.depthwise(
                channels: block.expandedChannels, kernel: (block.kernel, block.kernel),
                stride: (block.stride, block.stride), padding: .same, hasBias: false)), x)
            x = try graph.add("\(prefix)_bn1", batchNorm, x)
            x = try graph.add("\(prefix)_depthwise_relu6", relu6, x)
            x = try graph.add("\(prefix)_project_conv", .conv2d(Conv2D(
                outputChannels: block.outputChannels, kernel: (1, 1), padding: .same, hasBias: false)), x)
            x = try graph.add("\(prefix)_bn2", batchNorm, x)
            if block.hasResidual {
                x = try graph.add("\(prefix)_residual_add", .add(activation: .none), x, blockInput)
            }
        }

        x = try graph.add("_conv_head", .conv2d(Conv2D(
            outputChannels: Self.headChannels, kernel: (1, 1), padding: .same, hasBias: false)), x)
        x = try graph.add("_bn1", batchNorm, x)
        x = try graph.add("_head_relu6", relu6, x)
        let features = try graph.add("_avg_pooling", .globalAvgPool, x)
        graph.output(features, as: ImageModel.OutputName.features)
        x = try graph.add("_dropout", .dropout(rate: dropoutRate), features)
        let logits = try graph.add("_fc", .dense(Dense(units: classes)), x)
        graph.output(logits, as: ImageModel.OutputName.logits)
        let probabilities = try graph.add("_softmax", .softmax, logits)
        graph.output(probabilities, as: ImageModel.OutputName.probabilities)
        return graph
    }
}
