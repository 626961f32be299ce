import Classifier
import Foundation
import Imaging
import Models
import Testing

/// Feature squeezing on the committed adversarial fixtures (Tests/Fixtures/adversarial,
/// generated with TensorFlow by generate.py beside them; the numbers are in Docs/Adversarial.md).
///
/// References are independent of our code: scipy/numpy for the squeezers, TensorFlow's
/// Lite0 (checked against ONNX Runtime) for the classes and scores. The fixtures are a seeded
/// subset (12 evaluation sources: clean, FGSM ε = 4/255, PGD ε = 8/255 crops) of the full set.
@Suite struct FeatureSqueezingTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/adversarial")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Entry: Decodable {
        let file: String
        let predictedClass: Int
        let tfScore: Double

        enum CodingKeys: String, CodingKey { case file, predictedClass = "predicted_class", tfScore = "tf_score" }
    }

    struct Manifest: Decodable {
        let squeezedSource: String
        let entries: [Entry]

        enum CodingKeys: String, CodingKey { case squeezedSource = "squeezed_source", entries }
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }

    static func image(_ file: String) throws -> Image {
        try Image(decoding: [UInt8](Data(contentsOf: directory.appendingPathComponent(file))))
    }

    /// Squeezed by generate.py: bit depth with numpy integers, the median with
    /// scipy.ndimage.median_filter(size 2, mode "reflect"). Must match exactly.
    @Test func squeezersMatchNumpyAndScipy() throws {
        let source = try Self.image(try Self.manifest().squeezedSource)
        #expect(FeatureSqueezer.bitDepth(5).squeezed(source) == (try Self.image("squeezed/bits5.png")))
        #expect(FeatureSqueezer.median(2).squeezed(source) == (try Self.image("squeezed/median2x2.png")))
    }

    /// Properties that hold for any image: 8 bits is the identity, a 1×1 median is the
    /// identity, 1 bit leaves only 0 and 255, and a median of a constant image is constant.
    @Test func squeezerProperties() {
        let pixels = (0..<(5 * 4 * 3)).map { UInt8(($0 * 37) % 256) }
        let image = Image(width: 5, height: 4, pixels: pixels)
        #expect(FeatureSqueezer.bitDepth(8).squeezed(image) == image)
        #expect(FeatureSqueezer.median(1).squeezed(image) == image)
        #expect(Set(FeatureSqueezer.bitDepth(1).squeezed(image).pixels).isSubset(of: [0, 255]))
        let flat = Image(width: 3, height: 3, pixels: [UInt8](repeating: 77, count: 27))
        #expect(FeatureSqueezer.median(3).squeezed(flat) == flat)
    }

    /// Our Lite0 on the clean, FGSM and PGD crops of two sources (18 forward-pass rows: a
    /// debug build cannot afford all 36 crops), chosen so that both verdicts occur and every
    /// TensorFlow score is ≥ 0.08 from the default threshold — 046: clean 0.08, FGSM 0.65
    /// (flagged), PGD 0.004; 053: clean 0.18, FGSM 0.36, PGD 1.75 (flagged). The top-1 class
    /// must be TensorFlow's (the adversarial examples fool our runtime as they fooled
    /// TensorFlow), the score TensorFlow's within 0.01 (float32 runtimes; an L1 sum over 1000
    /// probabilities), and the verdict TensorFlow's. The detection and false-positive rates in
    /// Docs/Adversarial.md are computed from TensorFlow's scores of the full set, so agreeing
    /// scores and verdicts are what carries them over to our detector.
    @Test func detectorAgreesWithTensorFlow() throws {
        let model = try ImageModel.efficientNetLite0(
            weights: Self.root.appendingPathComponent("Weights/efficientnet-lite0.safetensors").path,
            labels: Self.root.appendingPathComponent("Weights/imagenet-labels.txt").path)
        let detector = FeatureSqueezingDetector()
        let entries = try Self.manifest().entries.filter { $0.file.hasSuffix("/046.png") || $0.file.hasSuffix("/053.png") }
        try #require(entries.count == 6)
        let results = try detector.scores(of: entries.map { try Self.image($0.file) }, model: model)
        var verdicts: Set<Bool> = []
        for (entry, result) in zip(entries, results) {
            let top = result.probabilities.indices.max { result.probabilities[$0] < result.probabilities[$1] }!
            #expect(top == entry.predictedClass, "\(entry.file): our top-1 \(top), TensorFlow's \(entry.predictedClass)")
            #expect(abs(Double(result.score) - entry.tfScore) <= 0.01, "\(entry.file): score \(result.score), TensorFlow \(entry.tfScore)")
            let flagged = detector.isSuspected(score: result.score)
            #expect(flagged == (entry.tfScore > Double(detector.threshold)), "\(entry.file): flagged \(flagged) at score \(result.score)")
            verdicts.insert(flagged)
        }
        #expect(verdicts == [true, false])
    }
}
