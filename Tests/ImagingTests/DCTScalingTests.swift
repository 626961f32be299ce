import Imaging
import Testing

/// (d) JPEG DCT-domain scaling: the decoder picks the largest reduction among 1/2, 1/4, 1/8
/// that keeps the short side ≥ `minimumShortSide`, so a large photo is never decoded at full
/// size for a small model input. Pixels are compared on a sampled grid with Pillow using the
/// same libjpeg scaling (`Image.draft`); identical decoders, so identical bytes.
@Suite struct DCTScalingTests {
    @Test func choosesScaleAndMatchesPillow() throws {
        for entry in Fixtures.manifest.dct {
            let bytes = try Fixtures.bytes(entry.file)
            for testCase in entry.cases {
                let image = try Image(decoding: bytes, minimumShortSide: testCase.minimumShortSide)
                #expect(image.width == testCase.width && image.height == testCase.height, "\(entry.file) \(String(describing: testCase.minimumShortSide))")
                var grid = [UInt8]()
                for y in stride(from: 0, to: image.height, by: testCase.gridStep) {
                    for x in stride(from: 0, to: image.width, by: testCase.gridStep) {
                        grid.append(contentsOf: image.pixels[((y * image.width + x) * 3)..<((y * image.width + x) * 3 + 3)])
                    }
                }
                #expect(grid == (try Fixtures.bytes(testCase.grid)), "\(entry.file) \(String(describing: testCase.minimumShortSide))")
            }
        }
    }

    /// Expected sizes from the rule: 4000×3000 at minimum 256 → 1/8 (375 ≥ 256) = 500×375;
    /// 2000×1500 at 256 → 1/8 would give 188 < 256, so 1/4 = 500×375; at 400 → 1/2 = 1000×750;
    /// at 1500 → full size is needed; at 2000 (more than the photo has) → full size.
    @Test func scaleRuleOnTheSmoothPhoto() throws {
        let bytes = try Fixtures.bytes("dct/smooth_2000x1500.jpg")
        for (minimum, width, height) in [(400, 1000, 750), (751, 2000, 1500), (750, 1000, 750), (188, 250, 188), (189, 500, 375)] {
            let image = try Image(decoding: bytes, minimumShortSide: minimum)
            #expect(image.width == width && image.height == height, "minimumShortSide \(minimum)")
        }
        let twelveMegapixels = try Fixtures.bytes("dct/smooth_4000x3000_grey.jpg")
        let small = try Image(decoding: twelveMegapixels, minimumShortSide: 256)
        #expect(small.width == 500 && small.height == 375)
    }
}
