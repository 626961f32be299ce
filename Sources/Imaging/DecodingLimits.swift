/// Bounds checked before any large allocation while decoding.
///
/// `maxInputBytes` is checked first, on the encoded bytes. `maxPixels` is checked on the
/// width × height declared in the file's header — before DCT scaling, because decoding work
/// grows with the declared size — and before the pixel buffer is allocated.
public struct DecodingLimits: Sendable, Equatable {
    /// Largest accepted encoded input, in bytes. Default 10 MB (10,000,000 bytes).
    public var maxInputBytes: Int
    /// Largest accepted declared width × height. Default 40 megapixels (40,000,000).
    public var maxPixels: Int

    public init(maxInputBytes: Int = 10_000_000, maxPixels: Int = 40_000_000) {
        precondition(maxInputBytes > 0 && maxPixels > 0, "DecodingLimits must be positive")
        self.maxInputBytes = maxInputBytes
        self.maxPixels = maxPixels
    }

    /// The defaults: 10 MB of input, 40 megapixels.
    public static let `default` = DecodingLimits()

    func checkInputSize(_ byteCount: Int) throws(ImagingError) {
        guard byteCount > 0 else {
            throw ImagingError(.emptyInput, "The image has 0 bytes; send the file's contents.")
        }
        guard byteCount <= maxInputBytes else {
            throw ImagingError(
                .tooLarge,
                "The image has \(byteCount) bytes, more than the limit of \(maxInputBytes); "
                    + "send a smaller file (re-encode or downscale it).")
        }
    }

    func checkDimensions(width: Int, height: Int, format: String) throws(ImagingError) {
        guard width > 0, height > 0 else {
            throw ImagingError(.corrupt, "The \(format) header declares a \(width)×\(height) image; the file is damaged.")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw ImagingError(
                .tooManyPixels,
                "The \(format) header declares \(width)×\(height) pixels, more than the limit of "
                    + "\(maxPixels); downscale the image before sending it.")
        }
    }
}
