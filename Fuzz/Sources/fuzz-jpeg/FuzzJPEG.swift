import Imaging

/// libFuzzer entry point: decodes the input as a JPEG, at full size for even input lengths and
/// reduced in the DCT domain to a short side of at least 224 (as the service does) for odd ones,
/// then applies the EXIF orientation. Errors are the expected outcome for most inputs; only a
/// crash, an ASan report, a hang or a huge allocation is a finding.
///
/// The pixel limit is 1 megapixel instead of the default 40: the same checks run, and a tiny
/// file declaring 40 megapixels would spend the fuzzer's time decoding garbage into a large
/// buffer rather than exploring code.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = DecodingLimits(maxInputBytes: 1 << 20, maxPixels: 1_000_000)
    if let image = try? Image(decoding: bytes, minimumShortSide: size % 2 == 0 ? nil : 224, limits: limits) {
        precondition(image.pixels.count == image.width * image.height * 3, "decoded buffer size disagrees with the size")
    }
    return 0
}
