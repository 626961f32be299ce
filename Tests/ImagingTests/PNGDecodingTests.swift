import Imaging
import Testing

/// (b) PNG colour types, bit depths, tRNS and Adam7 interlacing against the generator's
/// numpy reference (alpha composited over white in float64, 16-bit values mapped to 8 bits
/// as round(v · 255 / 65535)).
@Suite struct PNGDecodingTests {
    /// 8-bit and sub-byte variants must match exactly. 16-bit ones go through libpng's
    /// 16→8 reduction; asserted max |Δ| ≤ 1. Measured: 0 for every non-interlaced 16-bit
    /// file; the 16-bit interlaced files take the linear workaround for libpng#853 (see
    /// `PNGDecoder`): mean |Δ| 0.005 (rgba16), 0.007 (gray16), 0.011 (rgb16), max 1.
    @Test(arguments: Fixtures.manifest.png)
    func decodesLikeReference(_ entry: Fixtures.Manifest.PNG) throws {
        let image = try Image(decoding: try Fixtures.bytes(entry.file))
        #expect(image.width == entry.width && image.height == entry.height)
        let difference = differences(image.pixels, try Fixtures.bytes(entry.expected))
        #expect(difference.max <= (entry.sixteenBit ? 1 : 0), "\(entry.name): mean |Δ| \(difference.mean), max \(difference.max)")
    }
}
