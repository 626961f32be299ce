extension Image {
    /// Decodes a JPEG or PNG (recognised by magic bytes) into upright 8-bit RGB.
    ///
    /// - `minimumShortSide`: for JPEG, the decoder reduces the image in the DCT domain by the
    ///   largest of 1/2, 1/4, 1/8 that keeps the short side at least this long (e.g. 256 for a
    ///   resize-to-256 pipeline: a 4000×3000 photo decodes at 1/8, 500×375). The result may
    ///   therefore be larger than asked, never smaller unless the photo itself is. Ignored for
    ///   PNG, which has no cheap reduced decode.
    /// - `limits`: the input size is checked first, the declared pixel count before any
    ///   pixel buffer is allocated.
    ///
    /// JPEG EXIF orientation (all 8 values) is applied to the pixels. PNG alpha is
    /// composited over white (see `PNGDecoder`). Errors are `ImagingError`s; bad input never
    /// traps.
    public init(
        decoding bytes: [UInt8], minimumShortSide: Int? = nil, limits: DecodingLimits = .default
    ) throws(ImagingError) {
        precondition(minimumShortSide.map { $0 > 0 } ?? true, "minimumShortSide must be positive")
        try limits.checkInputSize(bytes.count)
        switch ImageFormat(sniffing: bytes) {
        case .jpeg:
            let decoded = try JPEGDecoder.decode(bytes, minimumShortSide: minimumShortSide, limits: limits)
            self = decoded.oriented(ExifOrientation(jpeg: bytes) ?? .topLeft)
        case .png:
            self = try PNGDecoder.decode(bytes, limits: limits)
        case nil:
            let detected = ImageFormat.unsupportedName(of: bytes).map { " (it looks like \($0))" } ?? ""
            throw ImagingError(
                .unsupportedFormat,
                "The data is not a JPEG or PNG\(detected); convert the image to JPEG or PNG.")
        }
    }
}
