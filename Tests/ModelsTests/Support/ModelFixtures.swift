import CNN
import Foundation
import Imaging
import Models

/// Paths of the checkout (found from this source file) and the models shared by the tests,
/// each loaded once.
enum ModelFixtures {
    /// `Tests/`.
    static let testsDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ModelsTests
        .deletingLastPathComponent()  // Tests

    /// The repository root.
    static let rootDirectory = testsDirectory.deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        testsDirectory.appendingPathComponent("Fixtures/models/\(name)").path
    }

    static let weightsDirectory = rootDirectory.appendingPathComponent("Weights").path
    static let lite0Weights = rootDirectory.appendingPathComponent("Weights/efficientnet-lite0.safetensors").path
    static let imageNetLabels = rootDirectory.appendingPathComponent("Weights/imagenet-labels.txt").path
    static let mobileNetV2Weights = fixture("mobilenetv2_head_f16.safetensors")

    /// The five photos of `efficientnet_lite0_reference.safetensors`, in the generator's order.
    static let lite0Photos = ["chelsea", "coffee", "astronaut", "rocket", "retina"]
    /// The file in `Samples/` of each fixture photo (the generator's `photos.PHOTOS`).
    static let photoFiles = [
        "chelsea": "chelsea.png", "coffee": "coffee.png", "astronaut": "astronaut.png", "rocket": "rocket.jpg",
        "retina": "retina.jpg",
    ]
    /// The inputs of `mobilenetv2_head_reference.safetensors`.
    static let mobileNetV2Inputs = ["chelsea", "coffee", "random"]

    static func photoPath(_ photo: String) -> String {
        rootDirectory.appendingPathComponent("Samples/\(photoFiles[photo]!)").path
    }

    static let lite0 = Result { () throws(ModelError) in
        try ImageModel.efficientNetLite0(weights: lite0Weights, labels: imageNetLabels)
    }

    static let mobileNetV2 = Result { () throws(ModelError) in
        try ImageModel.mobileNetV2(weights: mobileNetV2Weights)
    }

    static let lite0Reference = Result { () throws(WeightsError) in
        try SafeTensorsFile(contentsOf: fixture("efficientnet_lite0_reference.safetensors"))
    }

    /// Logits and pooled features of the upstream PyTorch model code (`efficientnet-lite-pytorch`
    /// 0.1.0 on the original `.pth`) for the `lite0Reference` inputs
    /// (generator `generate_lite0_upstream_reference.py`).
    static let lite0UpstreamReference = Result { () throws(WeightsError) in
        try SafeTensorsFile(contentsOf: fixture("efficientnet_lite0_upstream_reference.safetensors"))
    }

    static let mobileNetV2Reference = Result { () throws(WeightsError) in
        try SafeTensorsFile(contentsOf: fixture("mobilenetv2_head_reference.safetensors"))
    }

    /// Our single-image (batch 1) outputs on each fixture input, computed once for all tests
    /// (five Lite0 forward passes).
    static let lite0SingleRuns = Result { () throws(any Error) -> [String: ModelOutputs] in
        let model = try lite0.get()
        let reference = try lite0Reference.get()
        var runs: [String: ModelOutputs] = [:]
        for photo in lite0Photos {
            runs[photo] = try model.run(tensor(reference, "\(photo)/input"))
        }
        return runs
    }

    /// Our outputs on each input of the MobileNetV2 fixture, computed once for all tests.
    static let mobileNetV2Runs = Result { () throws(any Error) -> [String: ModelOutputs] in
        let model = try mobileNetV2.get()
        let reference = try mobileNetV2Reference.get()
        var runs: [String: ModelOutputs] = [:]
        for input in mobileNetV2Inputs {
            runs[input] = try model.run(tensor(reference, "\(input)/input"))
        }
        return runs
    }

    /// The end-to-end path on the photo files: our decoding (`minimumShortSide` 256, so large
    /// JPEGs are DCT-reduced) and `Preprocessing.efficientNetLite0` of all five photos as one
    /// batch (row i = `lite0Photos[i]`), and one batch-5 forward pass over it, computed once.
    static let lite0EndToEnd = Result { () throws(any Error) -> (input: Tensor, outputs: ModelOutputs) in
        let model = try lite0.get()
        let images = try lite0Photos.map { photo in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: photoPath(photo)))
            return try Image(decoding: [UInt8](bytes), minimumShortSide: model.preprocessing.resizeShortSide)
        }
        let input = try model.inputTensor(for: images)
        return (input, try model.run(input))
    }

    /// A fixture tensor as a `Tensor` (its shape read as NHWC, or `[N, C]` as `[N, 1, 1, C]`).
    static func tensor(_ file: SafeTensorsFile, _ name: String) throws -> Tensor {
        let weights = try file.tensor(name)
        let s = weights.shape
        let shape = s.count == 4
            ? Shape(batch: s[0], height: s[1], width: s[2], channels: s[3])
            : Shape(batch: s[0], height: 1, width: 1, channels: s.dropFirst().reduce(1, *))
        return try Tensor(shape: shape, scalars: weights.scalars)
    }

    /// The largest |a[i] − b[i]|. Compare big vectors through this, not `#expect(a == b)`:
    /// on failure Swift Testing diffs the two collections, which takes minutes for 150k values.
    static func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "compared vectors differ in length: \(a.count) vs \(b.count)")
        return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Indices of the `k` largest values, largest first.
    static func topIndices(_ values: [Float], _ k: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] }.prefix(k))
    }
}
