import CNN
import Foundation
import Imaging
import Models
import Testing

/// Properties of the model API that would fail if it were wrong, on the MobileNetV2 fixture
/// model (small and fast) and on synthetic images.
@Suite struct ImageModelTests {
    /// A deterministic RGB image with structure (gradients and a checkerboard).
    static func syntheticImage(width: Int, height: Int, seed: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8((x * 255 / max(width - 1, 1) + seed * 40) % 256)
                pixels[i + 1] = UInt8((y * 255 / max(height - 1, 1) + seed * 90) % 256)
                pixels[i + 2] = ((x / 16 + y / 16 + seed) % 2 == 0) ? 230 : 20
            }
        }
        return Image(width: width, height: height, pixels: pixels)
    }

    /// Two synthetic images of different sizes and aspect ratios.
    static let images = [syntheticImage(width: 300, height: 260, seed: 1), syntheticImage(width: 256, height: 400, seed: 2)]

    /// One single-image pass per image of `images`, computed once for the tests that need it.
    static let singleRuns = Result { () throws(any Error) -> [ModelOutputs] in
        let model = try ModelFixtures.mobileNetV2.get()
        return try images.map { image throws(ModelError) in try model.run(images: [image]) }
    }

    @Test func classifyReturnsSortedSoftmaxConfidences() throws {
        let model = try ModelFixtures.mobileNetV2.get()
        let all = try model.classify(Self.images[0], top: 100)
        #expect(all.count == 10)  // clamped to the class count
        #expect(Set(all.map(\.index)) == Set(0..<10))
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        #expect(abs(all.reduce(0) { $0 + Double($1.confidence) } - 1) <= 1e-5)
        #expect(all.allSatisfy { $0.label == model.labels[$0.index] })
        let outputs = try Self.singleRuns.get()[0]
        #expect(outputs.top(3, of: 0, labels: model.labels) == Array(all.prefix(3)))
        #expect(outputs.top(0, of: 0, labels: model.labels).isEmpty)
    }

    /// One batched pass over two images of different sizes equals two single passes; the
    /// single-image embedding call gives the same unit vector.
    @Test func batchCallsEqualSingleCalls() throws {
        let model = try ModelFixtures.mobileNetV2.get()
        let batch = try model.run(images: Self.images)
        let singles = try Self.singleRuns.get()
        for (index, single) in singles.enumerated() {
            #expect(ModelFixtures.maxAbsoluteDifference(batch.logits[index], single.logits[0]) <= 1e-4)
            #expect(ModelFixtures.maxAbsoluteDifference(batch.embeddings[index], single.embeddings[0]) <= 1e-6)
        }
        // Same image, same network: equal up to summation order (OpenBLAS may split the work
        // differently when another test changes its thread count).
        #expect(ModelFixtures.maxAbsoluteDifference(try model.embedding(Self.images[1]), singles[1].embeddings[0]) <= 1e-6)
        for embedding in batch.embeddings {
            #expect(embedding.count == model.embeddingDimension)
            #expect(abs(embedding.reduce(0.0) { $0 + Double($1) * Double($1) } - 1) <= 1e-5)
        }
    }

    /// The input tensor is the preprocessing contract applied to each image, in order.
    @Test func inputTensorFollowsThePreprocessing() throws {
        let model = try ModelFixtures.mobileNetV2.get()
        let images = [Self.syntheticImage(width: 300, height: 260, seed: 4), Self.syntheticImage(width: 230, height: 500, seed: 5)]
        let tensor = try model.inputTensor(for: images)
        #expect(tensor.shape == Shape(batch: 2, height: 224, width: 224, channels: 3))
        #expect(ModelFixtures.maxAbsoluteDifference(Array(tensor.sample(1)), model.preprocessing.tensor(for: images[1])) == 0)
        let crop = model.preprocessing.resizedAndCropped(images[0])
        #expect(abs(tensor[0, 10, 20, 1] - (Float(crop.pixels[(10 * 224 + 20) * 3 + 1]) / 127.5 - 1)) <= 1e-6)
    }

    @Test func presetsAreTheDocumentedContracts() {
        #expect(Preprocessing.efficientNetLite0 == Preprocessing(resizeShortSide: 256, cropSize: 224, mean: SIMD3(repeating: 127), std: SIMD3(repeating: 128)))
        #expect(Preprocessing.mobileNetV2 == Preprocessing(resizeShortSide: 256, cropSize: 224, mean: SIMD3(repeating: 127.5), std: SIMD3(repeating: 127.5)))
    }

    @Test func wrongInputShapeIsAnInvalidInputError() throws {
        let model = try ModelFixtures.mobileNetV2.get()
        let wrong = Tensor(zeros: Shape(batch: 1, height: 200, width: 224, channels: 3))
        #expect { try model.run(wrong) } throws: { ($0 as? ModelError)?.code == .invalidInput }
        #expect { try model.classify(images: []) } throws: { ($0 as? ModelError)?.code == .invalidInput }
    }

    @Test func loadingErrorsAreTyped() throws {
        #expect { try ImageModel.mobileNetV2(weights: "/nonexistent/model.safetensors") } throws: {
            ($0 as? ModelError)?.code == .weightsNotFound
        }
        // A MobileNetV2 file is not EfficientNet-Lite0: the strict loader names what is missing.
        #expect { try ImageModel.efficientNetLite0(weights: ModelFixtures.mobileNetV2Weights, labels: ModelFixtures.imageNetLabels) } throws: {
            ($0 as? ModelError)?.code == .invalidWeights
        }
        // The EfficientNet file has no `logits/kernel`.
        #expect { try ImageModel.mobileNetV2(weights: ModelFixtures.lite0Weights) } throws: {
            ($0 as? ModelError)?.code == .invalidWeights
        }
        // 1000 labels for a 10-class head.
        #expect { try ImageModel.mobileNetV2(weights: ModelFixtures.mobileNetV2Weights, labels: ModelFixtures.imageNetLabels) } throws: {
            ($0 as? ModelError)?.code == .invalidLabels
        }
        #expect { try ImageModel.readLabels("/nonexistent/labels.txt") } throws: { ($0 as? ModelError)?.code == .invalidLabels }
    }

    @Test func readLabelsKeepsLineNumbers() throws {
        let labels = try ImageModel.readLabels(ModelFixtures.imageNetLabels)
        #expect(labels.count == 1000)
        #expect(labels[0] == "tench" && labels[282] == "tiger cat" && labels[999] == "toilet tissue")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #require(FileManager.default.createFile(atPath: path, contents: Data("a\r\n\r\nc\n".utf8)))
        #expect(try ImageModel.readLabels(path) == ["a", "", "c"])
    }
}
