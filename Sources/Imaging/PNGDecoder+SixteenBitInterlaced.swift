#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPNG

extension PNGDecoder {
    /// 16-bit Adam7 PNGs: libpng 1.6's simplified API mis-combines the interlace passes when
    /// it reduces 16-bit samples to 8 bits (pnggroup/libpng#853, in builds carrying the fix
    /// for #755 such as Debian 12's 1.6.39). Its 16-bit (linear) output is not affected, so
    /// these files are read as linear-light RGBA with premultiplied alpha, un-premultiplied,
    /// re-encoded with the inverse of the transfer function libpng linearised with (the PNG
    /// gamma 0.45455 it assumes for sRGB data), and composited over white like every other
    /// PNG. Agrees with the direct 8-bit path to within one level (see PNGDecodingTests).
    static func decodeSixteenBitInterlaced(
        _ control: inout png_image, _ bytes: [UInt8], width: Int, height: Int
    ) throws(ImagingError) -> Image {
        control.format = CPNG_FORMAT_LINEAR_RGB_ALPHA
        let pixelCount = width * height
        var finished: Int32 = 0
        let linear = [UInt16](unsafeUninitializedCapacity: pixelCount * 4) { buffer, count in
            finished = png_image_finish_read(&control, nil, buffer.baseAddress, Int32(width * 4), nil)
            count = buffer.count
        }
        guard finished != 0 else { throw failure(control, bytes, while: "decoding the pixels") }
        var rgba = [UInt8](repeating: 0, count: pixelCount * 4)
        for p in 0..<pixelCount {
            let alpha = Double(linear[p * 4 + 3])
            guard alpha > 0 else { continue }
            for c in 0..<3 {
                rgba[p * 4 + c] = UInt8(gammaEncoded(min(Double(linear[p * 4 + c]) / alpha, 1)) * 255 + 0.5)
            }
            rgba[p * 4 + 3] = UInt8(alpha * 255 / 65535 + 0.5)
        }
        return Image(width: width, height: height, pixels: compositedOverWhite(rgba))
    }

    /// Linear 0–1 → encoded 0–1 with libpng's sRGB gamma, `PNG_GAMMA_sRGB_INVERSE` = 0.45455.
    private static func gammaEncoded(_ linear: Double) -> Double {
        pow(linear, 0.45455)
    }
}
