import Imaging
import Testing

@Suite struct PreprocessingTests {
    static let lite0 = Preprocessing(resizeShortSide: 256, cropSize: 224, mean: .init(repeating: 127), std: .init(repeating: 128))
    static let mobileNet = Preprocessing(resizeShortSide: 256, cropSize: 224, mean: .init(repeating: 127.5), std: .init(repeating: 127.5))

    /// Positions where `a` and `b` differ (plus the length difference). Large tensors are
    /// compared through this, not `#expect(a == b)`: on failure Swift Testing diffs the two
    /// collections, which takes minutes for 150k values.
    static func mismatches(_ a: [Float], _ b: [Float]) -> Int {
        zip(a, b).reduce(abs(a.count - b.count)) { $0 + ($1.0 == $1.1 ? 0 : 1) }
    }

    /// The tensor is the Pillow-reference crop normalised as (x − mean) / std, computed in
    /// Double and rounded once to Float: asserted exactly equal (|Δ| = 0).
    @Test func normalisesThePillowCrop() throws {
        let entry = try #require(Fixtures.manifest.pipeline.first { $0.sample == "coffee.png" })
        let reference = try Fixtures.bytes(entry.expected)
        let image = try Image(decoding: try Fixtures.sample("coffee.png"), minimumShortSide: 256)
        for preprocessing in [Self.lite0, Self.mobileNet] {
            let tensor = preprocessing.tensor(for: image)
            #expect(tensor.count == 224 * 224 * 3)
            let expected = reference.enumerated().map { i, v in
                Float((Double(v) - Double(preprocessing.mean[i % 3])) / Double(preprocessing.std[i % 3]))
            }
            #expect(Self.mismatches(tensor, expected) == 0)
        }
        #expect(Self.mobileNet.tensor(for: image).allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    /// Per-channel mean/std go to the right channel of the interleaved (NHWC) layout.
    @Test func perChannelNormalisation() {
        let image = Image(width: 2, height: 2, pixels: [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30])
        let preprocessing = Preprocessing(resizeShortSide: 2, cropSize: 2, mean: [10, 0, 40], std: [1, 2, 5])
        #expect(preprocessing.tensor(for: image) == [Float](repeating: 0, count: 4).flatMap { _ in [0, 10, -2] as [Float] })
    }

    /// Writing a batch at offsets gives each image's tensor in its slot and leaves the rest.
    @Test func writesIntoABatchAtOffsets() throws {
        let images = [
            try Image(decoding: try Fixtures.sample("chelsea.png"), minimumShortSide: 256),
            try Image(decoding: try Fixtures.sample("rocket.jpg"), minimumShortSide: 256),
        ]
        let n = Self.lite0.elementCount
        var batch = [Float](repeating: .nan, count: 2 * n + 5)
        for (i, image) in images.enumerated() {
            Self.lite0.write(image, into: &batch, at: 5 + i * n)
        }
        #expect(batch[0..<5].allSatisfy { $0.isNaN })
        for (i, image) in images.enumerated() {
            #expect(Self.mismatches(Array(batch[(5 + i * n)..<(5 + (i + 1) * n)]), Self.lite0.tensor(for: image)) == 0)
        }
    }

    /// Computing only the crop window equals resizing everything and cropping afterwards.
    @Test func windowedResizeEqualsResizeThenCrop() throws {
        let image = try Image(decoding: try Fixtures.sample("chelsea.png"))
        for (width, height) in [(385, 256), (100, 77), (600, 411)] {
            let full = image.resized(width: width, height: height)
            let window = image.resized(width: width, height: height, columns: 13..<(width - 7), rows: 5..<(height - 3))
            #expect(window == full.cropped(x: 13, y: 5, width: width - 20, height: height - 8))
        }
    }

    @Test func resizeProperties() {
        let constant = Image(width: 37, height: 23, pixels: [UInt8](repeating: 0, count: 37 * 23).flatMap { _ in [200, 7, 99] as [UInt8] })
        let expected = [UInt8](repeating: 0, count: 11 * 5).flatMap { _ in [200, 7, 99] as [UInt8] }
        #expect(constant.resized(width: 11, height: 5).pixels == expected)
        let varied = Image(width: 7, height: 3, pixels: (0..<63).map { UInt8($0 * 4) })
        #expect(varied.resized(width: 7, height: 3) == varied)
    }

    /// The long side is truncated, `int(long * S / short)` as in Python (torchvision, Pillow
    /// reference pipelines), not rounded.
    @Test func geometry() {
        #expect(Self.lite0.resizedSize(width: 451, height: 300) == (384, 256))  // 384.85 → 384
        #expect(Self.lite0.resizedSize(width: 300, height: 451) == (256, 384))
        #expect(Self.lite0.resizedSize(width: 427, height: 640) == (256, 383))  // 383.70 → 383
        #expect(Self.lite0.resizedSize(width: 600, height: 400) == (384, 256))  // exact
        #expect(Self.lite0.resizedSize(width: 512, height: 512) == (256, 256))
        #expect(Self.lite0.resizedSize(width: 29, height: 19) == (390, 256))  // upscale: 390.74 → 390
        #expect(Image(width: 5, height: 4, pixels: .init(repeating: 0, count: 60)).centerCropped(width: 2, height: 2).width == 2)
    }
}
