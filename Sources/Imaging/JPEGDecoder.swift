import CTurboJPEG

/// JPEG decoding through libturbojpeg (TurboJPEG 2.1 API), with DCT-domain downscaling.
///
/// Order of work: structure check (EOI present), header (`tjDecompressHeader3`), limits,
/// scale choice, one allocation of exactly the scaled RGB size, `tjDecompress2`.
enum JPEGDecoder {
    /// Scale factors we let libjpeg-turbo apply while decoding: 1/1, 1/2, 1/4, 1/8. These use
    /// its SIMD reduced-size inverse DCTs; the other M/8 factors it offers run generic C code.
    static let scaleDenominators = [8, 4, 2, 1]

    /// The largest reduction `1/denominator` for which the decoded short side is still at
    /// least `minimumShortSide`; 1 when no reduction qualifies or no minimum is given. Scaled
    /// sizes round up, as libjpeg-turbo's `TJSCALED` does: `(side + d − 1) / d`.
    static func scaleDenominator(width: Int, height: Int, minimumShortSide: Int?) -> Int {
        guard let minimumShortSide else { return 1 }
        let shortSide = min(width, height)
        for denominator in scaleDenominators where availableDenominators.contains(denominator) {
            if (shortSide + denominator - 1) / denominator >= minimumShortSide { return denominator }
        }
        return 1
    }

    /// The 1/n factors this libturbojpeg offers (`tjGetScalingFactors`), read once.
    private static let availableDenominators: Set<Int> = {
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return [1] }
        var result: Set<Int> = [1]
        for factor in UnsafeBufferPointer(start: factors, count: Int(count)) where factor.num == 1 {
            result.insert(Int(factor.denom))
        }
        return result
    }()

    static func decode(_ bytes: [UInt8], minimumShortSide: Int?, limits: DecodingLimits) throws(ImagingError) -> Image {
        let structure = JPEGSegments(bytes)
        guard let startOfScan = structure.startOfScanOffset else {
            throw ImagingError(
                .truncated,
                "The JPEG ends (or breaks) before its image data starts; the file is truncated or damaged — send the complete file.")
        }
        guard JPEGSegments.hasEndOfImage(bytes, after: startOfScan) else {
            throw ImagingError(
                .truncated,
                "The JPEG has no end-of-image marker after its image data; the file is truncated — send the complete file.")
        }
        guard let handle = tjInitDecompress() else {
            throw ImagingError(.decoderUnavailable, "libturbojpeg could not allocate a decompressor; retry later.")
        }
        defer { tjDestroy(handle) }
        let result = bytes.withUnsafeBufferPointer { source -> Result<Image, ImagingError> in
            do throws(ImagingError) {
                return .success(try decode(source, handle: handle, minimumShortSide: minimumShortSide, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(
        _ source: UnsafeBufferPointer<UInt8>, handle: tjhandle, minimumShortSide: Int?, limits: DecodingLimits
    ) throws(ImagingError) -> Image {
        var width: Int32 = 0
        var height: Int32 = 0
        var subsampling: Int32 = 0
        var colorspace: Int32 = 0
        let headerStatus = tjDecompressHeader3(
            handle, source.baseAddress, UInt(source.count), &width, &height, &subsampling, &colorspace)
        // Warnings (e.g. stray bytes before a marker) leave a usable header, as in Pillow.
        if headerStatus != 0, tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) {
            throw ImagingError(.corrupt, "The JPEG header is invalid (\(errorText(handle))); the file is damaged.")
        }
        try limits.checkDimensions(width: Int(width), height: Int(height), format: "JPEG")
        if colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue) {
            throw ImagingError(
                .unsupportedFormat, "The JPEG is CMYK (print colour space), which is not decoded; convert it to RGB first.")
        }
        let denominator = scaleDenominator(
            width: Int(width), height: Int(height), minimumShortSide: minimumShortSide)
        let scaledWidth = (Int(width) + denominator - 1) / denominator
        let scaledHeight = (Int(height) + denominator - 1) / denominator
        var status: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: scaledWidth * scaledHeight * 3) { buffer, count in
            status = tjDecompress2(
                handle, source.baseAddress, UInt(source.count), buffer.baseAddress,
                Int32(scaledWidth), Int32(scaledWidth * 3), Int32(scaledHeight),
                Int32(TJPF_RGB.rawValue), TJFLAG_LIMITSCANS)
            count = buffer.count
        }
        // A warning (e.g. extraneous bytes between markers) still yields a complete image, as
        // in Pillow; truncation was ruled out above. Only fatal errors reject the file.
        if status != 0, tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) {
            throw ImagingError(.corrupt, "The JPEG data is invalid (\(errorText(handle))); the file is damaged.")
        }
        return Image(width: scaledWidth, height: scaledHeight, pixels: pixels)
    }

    private static func errorText(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "no detail" }
        return String(cString: text)
    }
}
