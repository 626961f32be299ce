import Imaging

/// libFuzzer entry point: decodes the input as a PNG (every colour type and bit depth,
/// interlaced or not, alpha composited over white). Only a crash, an ASan report, a hang or a
/// huge allocation is a finding; errors are expected.
///
/// The pixel limit is 1 megapixel instead of the default 40, so the fuzzer explores code rather
/// than filling large buffers (the limit check itself runs either way).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = DecodingLimits(maxInputBytes: 1 << 20, maxPixels: 1_000_000)
    if let image = try? Image(decoding: bytes, limits: limits) {
        precondition(image.pixels.count == image.width * image.height * 3, "decoded buffer size disagrees with the size")
    }
    return 0
}
