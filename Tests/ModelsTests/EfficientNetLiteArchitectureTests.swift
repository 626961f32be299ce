import CNN
import Models
import Testing

/// The Lite0…Lite4 graphs against the published architecture table (Docs/Models.md §1, from
/// tensorflow/tpu `efficientnet_lite_builder.py`; parameter counts agree with its README's
/// 4.7 / 5.4 / 6.1 / 8.2 / 13.0 M).
@Suite struct EfficientNetLiteArchitectureTests {
    struct Expected: Sendable, CustomStringConvertible {
        let variant: EfficientNetLite.Variant
        let resolution: Int
        let stageChannels: [Int]
        let stageRepeats: [Int]
        let finalMap: Int
        let trainable: Int
        let stored: Int
        var description: String { variant.rawValue }
    }

    static let table: [Expected] = [
        Expected(variant: .lite0, resolution: 224, stageChannels: [16, 24, 40, 80, 112, 192, 320], stageRepeats: [1, 2, 2, 3, 3, 4, 1], finalMap: 7, trainable: 4_652_008, stored: 4_694_024),
        Expected(variant: .lite1, resolution: 240, stageChannels: [16, 24, 40, 80, 112, 192, 320], stageRepeats: [1, 3, 3, 4, 4, 5, 1], finalMap: 8, trainable: 5_416_680, stored: 5_470_344),
        Expected(variant: .lite2, resolution: 260, stageChannels: [16, 24, 48, 88, 120, 208, 352], stageRepeats: [1, 3, 3, 4, 4, 5, 1], finalMap: 9, trainable: 6_092_072, stored: 6_150_168),
        Expected(variant: .lite3, resolution: 280, stageChannels: [24, 32, 48, 96, 136, 232, 384], stageRepeats: [1, 3, 3, 5, 5, 6, 1], finalMap: 9, trainable: 8_197_096, stored: 8_273_768),
        Expected(variant: .lite4, resolution: 300, stageChannels: [24, 32, 56, 112, 160, 272, 448], stageRepeats: [1, 4, 4, 6, 6, 8, 1], finalMap: 10, trainable: 13_006_568, stored: 13_118_936),
    ]

    @Test(arguments: table)
    func variantMatchesThePublishedTable(_ expected: Expected) throws {
        let architecture = EfficientNetLite(expected.variant)
        #expect(architecture.resolution == expected.resolution)
        #expect(architecture.stages.map(\.outputChannels) == expected.stageChannels)
        #expect(architecture.stages.map(\.repeats) == expected.stageRepeats)
        #expect(architecture.blocks.count == expected.stageRepeats.reduce(0, +))

        let graph = try architecture.makeGraph()
        let parameters = GraphParameters(graph)
        #expect(parameters.trainable == expected.trainable)
        #expect(parameters.stored == expected.stored)
        let head = try #require(graph.node(named: "_bn1"))
        #expect(graph.shape(of: head) == Shape(height: expected.finalMap, width: expected.finalMap, channels: 1280))
        let logits = try #require(graph.node(named: "_fc"))
        #expect(graph.shape(of: logits) == Shape.vector(1000))
    }

    /// Residual connections exactly where the reference has them (stride 1, in == out).
    @Test func lite0ResidualBlocks() {
        let residual = EfficientNetLite(.lite0).blocks.enumerated().filter(\.element.hasResidual).map(\.offset)
        #expect(residual == [2, 4, 6, 7, 9, 10, 12, 13, 14])
    }

    /// The strict loader takes every one of the file's 247 tensors with the graph's shapes; a
    /// wrong channel count, kernel size or missing layer would fail here.
    @Test func lite0GraphConsumesTheWeightsFileExactly() throws {
        let weights = try SafeTensorsFile(contentsOf: ModelFixtures.lite0Weights)
        #expect(weights.tensors.count == 247)
        let network = try Network(
            graph: EfficientNetLite(.lite0).makeGraph(), weights: weights, naming: EfficientNetLite.parameterNaming)
        #expect(network.outputShape("features") == Shape.vector(1280))
        #expect(network.outputShape("logits") == Shape.vector(1000))
    }

    /// `round_filters` (divisor 8) on hand-checked values.
    @Test func roundFilters() {
        #expect(EfficientNetLite.roundFilters(40, width: 1.1) == 48)  // 44 → int(48) // 8 · 8 = 48
        #expect(EfficientNetLite.roundFilters(80, width: 1.1) == 88)
        #expect(EfficientNetLite.roundFilters(16, width: 1.4) == 24)  // 22.4 → 24
        #expect(EfficientNetLite.roundFilters(4, width: 1.0) == 8)  // minimum 8
    }

    @Test func invalidConfigurationIsATypedError() {
        #expect(throws: ModelError.self) {
            try EfficientNetLite(widthMultiplier: 1, depthMultiplier: 1, resolution: 0, dropoutRate: 0).makeGraph()
        }
    }
}
