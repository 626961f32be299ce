import Classifier
import Imaging
import Testing

/// The quality checks on synthetic images whose blur and exposure are known by construction.
@Suite struct QualityPolicyTests {
    /// A checkerboard of 8-pixel squares, levels `low`/`high`: its Laplacian is large on every
    /// edge, so its variance is far above 100 when the contrast is high.
    static func checkerboard(size: Int, low: UInt8, high: UInt8) -> Image {
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let value = ((x / 8) + (y / 8)) % 2 == 0 ? low : high
                for c in 0..<3 { pixels[(y * size + x) * 3 + c] = value }
            }
        }
        return Image(width: size, height: size, pixels: pixels)
    }

    static func flat(size: Int, level: UInt8) -> Image {
        Image(width: size, height: size, pixels: [UInt8](repeating: level, count: size * size * 3))
    }

    static func code(_ body: () throws(ClassifierError) -> Void) -> ClassifierError.Code? {
        do {
            try body()
            return nil
        } catch {
            return error.code
        }
    }

    @Test func sharpWellExposedImagePasses() throws {
        let image = Self.checkerboard(size: 64, low: 40, high: 200)
        let report = try QualityPolicy().check(decoded: image, modelView: image)
        #expect(report.blurScore > 100)
    }

    @Test func flatImageIsBlurry() {
        let image = Self.flat(size: 64, level: 128)  // Laplacian 0 everywhere: variance 0
        #expect(Self.code { () throws(ClassifierError) in _ = try QualityPolicy().check(decoded: image, modelView: image) } == .lowQuality)
    }

    @Test func darkAndBrightImagesAreBadlyExposed() {
        // Sharp (contrast 0↔12 or 243↔255 gives Laplacian variance well above 100) but every
        // pixel beyond the luma thresholds 16 / 239.
        let dark = Self.checkerboard(size: 64, low: 0, high: 12)
        let bright = Self.checkerboard(size: 64, low: 243, high: 255)
        var noBlurCheck = QualityPolicy()
        noBlurCheck.minimumBlurScore = 0
        #expect(Self.code { () throws(ClassifierError) in _ = try noBlurCheck.check(decoded: dark, modelView: dark) } == .lowQuality)
        #expect(Self.code { () throws(ClassifierError) in _ = try noBlurCheck.check(decoded: bright, modelView: bright) } == .lowQuality)
    }

    @Test func tooSmallImageIsRejectedAndDisabledPolicyPassesAll() {
        let tiny = Self.checkerboard(size: 16, low: 0, high: 255)
        #expect(Self.code { () throws(ClassifierError) in _ = try QualityPolicy().check(decoded: tiny, modelView: tiny) } == .lowQuality)
        let flat = Self.flat(size: 8, level: 0)
        #expect(Self.code { () throws(ClassifierError) in _ = try QualityPolicy(enabled: false).check(decoded: flat, modelView: flat) } == nil)
    }

    @Test func centralCropKeepsTheMiddleEightyPercent() {
        var pixels = [UInt8](repeating: 0, count: 100 * 50 * 3)
        pixels[(25 * 100 + 50) * 3] = 255  // a marker at (50, 25), the centre
        let framed = QualityPolicy().framed(Image(width: 100, height: 50, pixels: pixels))
        #expect(framed.width == 80 && framed.height == 40)
        // Offset ((100 − 80) / 2, (50 − 40) / 2) = (10, 5): the marker moves to (40, 20).
        #expect(framed.pixels[(20 * 80 + 40) * 3] == 255)
    }
}
