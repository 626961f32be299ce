import CNN
import Models
import Testing

/// The MobileNetV2 + head graph against Keras's (Docs/Models.md §2: 2,257,984 backbone values
/// incl. BN statistics + 655,872 embedding + 513·N logits).
@Suite struct MobileNetV2ArchitectureTests {
    @Test func parameterCountsMatchKeras() throws {
        let graph = try MobileNetV2(classes: 10).makeGraph()
        #expect(GraphParameters(graph).stored == 2_257_984 + 655_872 + 513 * 10)
    }

    @Test func blocksMatchKeras() {
        let blocks = MobileNetV2(classes: 10).blocks
        #expect(blocks.count == 17)
        #expect(blocks.map(\.outputChannels) == [16, 24, 24, 32, 32, 32, 64, 64, 64, 64, 96, 96, 96, 160, 160, 160, 320])
        #expect(blocks.enumerated().filter { $0.element.stride == 2 }.map(\.offset) == [1, 3, 6, 13])
        #expect(blocks.enumerated().filter(\.element.hasResidual).map(\.offset) == [2, 4, 5, 7, 8, 9, 11, 12, 14, 15])
        #expect(blocks[0].prefix == "expanded_conv_" && blocks[16].prefix == "block_16_")
    }

    /// The strict loader takes all 264 tensors of the Keras export (F16, upcast) with the
    /// graph's shapes and Keras 3 names.
    @Test func graphConsumesTheKerasExportExactly() throws {
        let weights = try SafeTensorsFile(contentsOf: ModelFixtures.mobileNetV2Weights)
        #expect(weights.tensors.count == 264)
        #expect(MobileNetV2.classes(in: weights) == 10)
        let network = try Network(
            graph: MobileNetV2(classes: 10).makeGraph(), weights: weights, naming: MobileNetV2.parameterNaming)
        #expect(network.outputShape("embedding") == Shape.vector(512))
        #expect(network.outputShape("probabilities") == Shape.vector(10))
    }

    @Test func makeDivisible() {
        #expect(MobileNetV2.makeDivisible(32 * 0.35) == 16)  // 11.2 → 8, < 0.9 · 11.2 → 16
        #expect(MobileNetV2.makeDivisible(24 * 0.75) == 24)  // 18 → 16, < 16.2 → 24
        #expect(MobileNetV2.makeDivisible(1280 * 1.4) == 1792)
    }
}
