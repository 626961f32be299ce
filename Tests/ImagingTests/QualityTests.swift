import Imaging
import Testing

/// (f) Blur (variance of the Laplacian of BT.601 luma) and exposure against numpy/scipy
/// float64 on the same decoded pixels. Our luma is exact integer thousandths, so only the
/// summation order differs: measured relative error ≤ 3e-16, asserted ≤ 1e-9.
@Suite struct QualityTests {
    @Test(arguments: Fixtures.manifest.quality)
    func matchesFloat64Reference(_ entry: Fixtures.Manifest.Quality) throws {
        let bytes = try entry.sample.map { try Fixtures.sample($0) } ?? (try Fixtures.bytes(entry.file!))
        let image = try Image(decoding: bytes)
        let blur = image.blurScore()
        #expect(abs(blur - entry.blurScore) <= 1e-9 * entry.blurScore, "blur \(blur) vs \(entry.blurScore)")
        let exposure = image.exposure()
        #expect(abs(exposure.meanLuma - entry.meanLuma) <= 1e-9 * entry.meanLuma)
        #expect(exposure.underexposedFraction == entry.underexposedFraction)
        #expect(exposure.overexposedFraction == entry.overexposedFraction)
    }

    @Test func blurringLowersTheScore() throws {
        let sharp = try Image(decoding: try Fixtures.bytes("quality/noise.png"))
        let blurred = try Image(decoding: try Fixtures.bytes("quality/noise_blurred.png"))
        #expect(blurred.blurScore() < sharp.blurScore() / 2)
    }

    @Test func flatImage() {
        let grey = Image(width: 5, height: 4, pixels: [UInt8](repeating: 10, count: 60))
        #expect(grey.blurScore() == 0)
        let exposure = grey.exposure()
        #expect(exposure.meanLuma == 10)
        #expect(exposure.underexposedFraction == 1 && exposure.overexposedFraction == 0)
    }
}
