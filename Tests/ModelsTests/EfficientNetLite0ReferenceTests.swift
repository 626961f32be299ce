import CNN
import Foundation
import Imaging
import Models
import Testing

/// EfficientNet-Lite0 against ONNX Runtime (`Tests/Fixtures/models/efficientnet_lite0_reference
/// .safetensors`, generator `generate_efficientnet_lite0_reference.py`) on the same
/// Pillow-preprocessed input tensors, decoded as we decode (large JPEGs DCT-reduced through
/// Pillow's `draft`, see `decodedInputMatchesThePillowInput`). Tolerance 1e-3 absolute on
/// logits and pooled features: float32 summation order and BatchNorm folding move them by
/// ~1e-5; a padding or epsilon mistake moves logits by 1.4–3.6 (Docs/Models.md). The end-to-end tests start from the
/// photo files in `Samples/`. Forward passes, each computed once per process and shared:
/// five batch-1 passes on the fixture inputs (`ModelFixtures.lite0SingleRuns`) and one batch-5
/// pass on our own decoding of the photos (`ModelFixtures.lite0EndToEnd`).
@Suite struct EfficientNetLite0ReferenceTests {
    static let tolerance: Float = 1e-3

    @Test(arguments: ModelFixtures.lite0Photos)
    func logitsMatchONNXRuntime(_ photo: String) throws {
        let ours = try #require(try ModelFixtures.lite0SingleRuns.get()[photo])
        let reference = try ModelFixtures.lite0Reference.get()
        let expected = try reference.tensor("\(photo)/logits").scalars
        #expect(ours.batch == 1)
        try #require(ours.logits[0].count == expected.count)
        let difference = ModelFixtures.maxAbsoluteDifference(ours.logits[0], expected)
        #expect(difference <= Self.tolerance, "\(photo): max |Δlogit| \(difference)")
        #expect(ModelFixtures.topIndices(ours.logits[0], 5) == ModelFixtures.topIndices(expected, 5), "\(photo): top-5 differs")
    }

    @Test(arguments: ModelFixtures.lite0Photos)
    func pooledFeaturesMatchONNXRuntime(_ photo: String) throws {
        let ours = try #require(try ModelFixtures.lite0SingleRuns.get()[photo])
        let expected = try ModelFixtures.lite0Reference.get().tensor("\(photo)/features").scalars
        try #require(ours.rawEmbeddings[0].count == 1280 && expected.count == 1280)
        let difference = ModelFixtures.maxAbsoluteDifference(ours.rawEmbeddings[0], expected)
        #expect(difference <= Self.tolerance, "\(photo): max |Δfeature| \(difference)")
    }

    /// The top-5 predictions carry the fixture's indices, labels and softmax probabilities
    /// (Docs/Models.md: chelsea → tiger cat 0.3789, Egyptian cat 0.3752, …).
    @Test func chelseaPredictionsMatchTheDocumentedTop5() throws {
        let model = try ModelFixtures.lite0.get()
        let outputs = try #require(try ModelFixtures.lite0SingleRuns.get()["chelsea"])
        let predictions = outputs.top(5, of: 0, labels: model.labels)
        #expect(predictions.map(\.index) == [282, 285, 281, 287, 904])
        #expect(predictions.map(\.label) == ["tiger cat", "Egyptian cat", "tabby", "lynx", "window screen"])
        let expected: [Float] = [0.3789, 0.3752, 0.1678, 0.0157, 0.0010]
        for (prediction, probability) in zip(predictions, expected) {
            #expect(abs(prediction.confidence - probability) <= 1e-4)
        }
    }

    /// Our decoding + `Preprocessing.efficientNetLite0` of each photo file against the fixture's
    /// Pillow-preprocessed input. The fixture decodes as we do (`photos.py` with
    /// `minimum_short_side` 256): PNGs and rocket.jpg (640×427) at full size, retina.jpg
    /// (1411×1411) reduced 1/4 in the DCT domain to 353×353 through Pillow's `Image.draft`, the
    /// same libjpeg-turbo scaled IDCT (accurate integer IDCT, fancy upsampling) that
    /// `tjDecompress2` runs for us. Measured bit-identical for all five; asserted equal.
    @Test(arguments: ModelFixtures.lite0Photos)
    func decodedInputMatchesThePillowInput(_ photo: String) throws {
        let endToEnd = try ModelFixtures.lite0EndToEnd.get()
        let index = try #require(ModelFixtures.lite0Photos.firstIndex(of: photo))
        let ours = Array(endToEnd.input.sample(index))
        let expected = try ModelFixtures.lite0Reference.get().tensor("\(photo)/input").scalars
        try #require(ours.count == expected.count)
        let differences = zip(ours, expected).map { abs($0 - $1) }
        let mean = differences.reduce(0.0) { $0 + Double($1) } / Double(differences.count)
        let largest = differences.max() ?? 0
        #expect(largest == 0, "\(photo): mean |Δ| \(mean), max \(largest)")
    }

    /// The end-to-end batch (photo files → our decoding and preprocessing → one batch-5 pass)
    /// against the fixture's logits, at the ONNX Runtime tolerance (1e-3) for every photo,
    /// retina.jpg included: its reference input is decoded with the same 1/4 DCT scaling as
    /// ours, so the input is bit-identical and only float32 summation order remains (measured
    /// max |Δlogit| ≤ 1.1e-5 over the five, retina 1.07e-5). While the reference decoded retina
    /// at full size, its logits differed from ours by 0.285 and needed a 0.3 bound. Top-1 must
    /// agree too.
    @Test(arguments: ModelFixtures.lite0Photos)
    func endToEndFromThePhotoFile(_ photo: String) throws {
        let endToEnd = try ModelFixtures.lite0EndToEnd.get()
        let index = try #require(ModelFixtures.lite0Photos.firstIndex(of: photo))
        let ours = endToEnd.outputs.logits[index]
        let expected = try ModelFixtures.lite0Reference.get().tensor("\(photo)/logits").scalars
        let difference = ModelFixtures.maxAbsoluteDifference(ours, expected)
        #expect(difference <= Self.tolerance, "\(photo): max |Δlogit| \(difference)")
        #expect(ModelFixtures.topIndices(ours, 1) == ModelFixtures.topIndices(expected, 1), "\(photo): top-1 differs")
    }

    /// Each row of the batch-5 end-to-end pass equals the batch-1 pass on the same input within
    /// 1e-4 (same kernels, a larger GEMM M; measured ≤ 3.8e-6). Requires the decoded input to be
    /// bit-identical to the fixture's, so both passes see the same numbers.
    @Test(arguments: ModelFixtures.lite0Photos)
    func batchRowsEqualSingleRuns(_ photo: String) throws {
        let endToEnd = try ModelFixtures.lite0EndToEnd.get()
        let single = try #require(try ModelFixtures.lite0SingleRuns.get()[photo])
        let index = try #require(ModelFixtures.lite0Photos.firstIndex(of: photo))
        let expectedInput = try ModelFixtures.lite0Reference.get().tensor("\(photo)/input").scalars
        let inputDifference = ModelFixtures.maxAbsoluteDifference(Array(endToEnd.input.sample(index)), expectedInput)
        try #require(inputDifference == 0, "\(photo): decoded input differs from the fixture's by up to \(inputDifference)")
        #expect(endToEnd.outputs.batch == ModelFixtures.lite0Photos.count)
        let logits = ModelFixtures.maxAbsoluteDifference(endToEnd.outputs.logits[index], single.logits[0])
        let features = ModelFixtures.maxAbsoluteDifference(endToEnd.outputs.rawEmbeddings[index], single.rawEmbeddings[0])
        #expect(logits <= 1e-4 && features <= 1e-4, "\(photo): batch vs single |Δlogit| \(logits), |Δfeature| \(features)")
    }
}
