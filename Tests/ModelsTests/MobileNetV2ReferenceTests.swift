import CNN
import Models
import Testing

/// MobileNetV2 + head (seeded random F16 weights with non-trivial BatchNorm statistics) against
/// TensorFlow 2.21 / Keras 3.15 (`Tests/Fixtures/models/mobilenetv2_head_reference.safetensors`,
/// generator `generate_mobilenetv2_head_reference.py`) on the same input tensors. Tolerance
/// 1e-3 absolute on logits, probabilities and the 512-D embedding; symmetric stride-2 padding
/// would move them by 0.36–1.07 (Docs/Models.md). One forward pass per input, shared
/// (`ModelFixtures.mobileNetV2Runs`).
@Suite struct MobileNetV2ReferenceTests {
    static let tolerance: Float = 1e-3

    @Test(arguments: ModelFixtures.mobileNetV2Inputs)
    func outputsMatchTensorFlow(_ input: String) throws {
        let reference = try ModelFixtures.mobileNetV2Reference.get()
        let outputs = try #require(try ModelFixtures.mobileNetV2Runs.get()[input])
        #expect(outputs.batch == 1)
        for (name, ours) in [("logits", outputs.logits[0]), ("probabilities", outputs.probabilities[0]), ("embedding", outputs.rawEmbeddings[0])] {
            let expected = try reference.tensor("\(input)/\(name)").scalars
            try #require(ours.count == expected.count, "\(input)/\(name): \(ours.count) values, expected \(expected.count)")
            let difference = ModelFixtures.maxAbsoluteDifference(ours, expected)
            #expect(difference <= Self.tolerance, "\(input)/\(name): max |Δ| \(difference)")
        }
    }

    /// The embedding the API returns (`ModelOutputs.embeddings`) is the 512-unit ReLU output
    /// divided by its L2 norm.
    @Test func embeddingIsTheNormalisedHeadLayer() throws {
        let model = try ModelFixtures.mobileNetV2.get()
        let reference = try ModelFixtures.mobileNetV2Reference.get()
        #expect(model.embeddingDimension == 512)
        #expect(model.labels == (0..<10).map { "class \($0)" })
        let embedding = try #require(try ModelFixtures.mobileNetV2Runs.get()["coffee"]).embeddings[0]
        let expected = try reference.tensor("coffee/embedding").scalars
        let norm = expected.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let difference = ModelFixtures.maxAbsoluteDifference(embedding, expected.map { Float(Double($0) / norm) })
        #expect(difference <= 1e-4, "max |Δ| \(difference) against TensorFlow's embedding / ‖·‖")
    }
}
