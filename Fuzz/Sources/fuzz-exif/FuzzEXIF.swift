import Imaging

/// libFuzzer entry point: walks the JPEG marker segments and reads the EXIF orientation (APP1,
/// TIFF header, IFD0) of the input, then applies a found orientation to a 3×2 image.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEXIF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let orientation = ExifOrientation(jpeg: bytes) else { return 0 }
    let image = Image(width: 3, height: 2, pixels: (0..<18).map { UInt8($0) })
    let oriented = image.oriented(orientation)
    precondition(oriented.width * oriented.height == 6, "orientation changed the pixel count")
    return 0
}
