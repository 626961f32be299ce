import CNN
import Foundation
import Imaging
import Models
import Testing

/// EfficientNet-Lite0 against ONNX Runtime (`Tests/Fixtures/models/efficientnet_lite0_reference
/// .safetensors`, generator `generate_efficientnet_lite0_reference.py`) on the same
/// Pillow-preprocessed input tensors. Tolerance 1e-3 absolute on logits and pooled features:
/// float32 summation order and BatchNorm folding move them by ~1e-5; a padding or epsilon
/// mistake moves logits by 1–3 (Docs/Models.md).
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

    /// One batch-5 forward pass gives each photo's batch-1 outputs within 1e-4 (same kernels, a
    /// larger GEMM M; measured 4e-6).
    @Test func batchOfFiveEqualsSingleRuns() throws {
        let model = try ModelFixtures.lite0.get()
        let reference = try ModelFixtures.lite0Reference.get()
        var scalars: [Float] = []
        for photo in ModelFixtures.lite0Photos {
            scalars += try reference.tensor("\(photo)/input").scalars
        }
        let batch = try model.run(Tensor(shape: Shape(batch: 5, height: 224, width: 224, channels: 3), scalars: scalars))
        let singles = try ModelFixtures.lite0SingleRuns.get()
        #expect(batch.batch == 5)
        for (index, photo) in ModelFixtures.lite0Photos.enumerated() {
            let single = try #require(singles[photo])
            let logits = ModelFixtures.maxAbsoluteDifference(batch.logits[index], single.logits[0])
            let features = ModelFixtures.maxAbsoluteDifference(batch.rawEmbeddings[index], single.rawEmbeddings[0])
            #expect(logits <= 1e-4 && features <= 1e-4, "\(photo): batch vs single |Δlogit| \(logits), |Δfeature| \(features)")
        }
    }

    /// Our decoding + preprocessing (libpng/libturbojpeg, antialiased bilinear, centre crop) of the
    /// photo files gives the same top-1 as the fixture's Pillow-preprocessed tensor; chelsea,
    /// whose top two are within 0.4 %, must land on one of the three cat classes.
    @Test(arguments: ModelFixtures.lite0Photos)
    func endToEndFromThePhotoFile(_ photo: String) throws {
        let model = try ModelFixtures.lite0.get()
        let path = try #require(ModelFixtures.photoFile(photo), "no file for \(photo) in Samples/ or scikit-image's data")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let image = try Image(decoding: [UInt8](bytes), minimumShortSide: model.preprocessing.resizeShortSide)
        let top1 = try model.classify(image, top: 1)[0]
        if photo == "chelsea" {
            #expect(["tiger cat", "Egyptian cat", "tabby"].contains(top1.label), "chelsea → \(top1.label)")
        } else {
            let expected = try ModelFixtures.lite0Reference.get().tensor("\(photo)/logits").scalars
            #expect(top1.index == ModelFixtures.topIndices(expected, 1)[0], "\(photo) → \(top1.label) (\(top1.index))")
        }
    }
}
