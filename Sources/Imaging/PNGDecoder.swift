import CPNG

/// PNG decoding through libpng's simplified API, which reports errors as return codes (its
/// internal `setjmp` stays inside libpng's own frames; nothing unwinds through Swift).
///
/// Every PNG colour type and bit depth (grey, grey+alpha, palette with or without tRNS, RGB,
/// RGBA; 1–16 bits; Adam7 interlaced) is converted by libpng to 8-bit RGB or RGBA. 16-bit
/// files without gamma information are read as sRGB-encoded (`PNG_IMAGE_FLAG_16BIT_sRGB`),
/// as every viewer does; libpng's default would treat them as linear light. Images with
/// alpha (an alpha channel or tRNS) are composited over white, in sRGB value space:
/// `out = round((c·a + 255·(255 − a)) / 255)`.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodingLimits) throws(ImagingError) -> Image {
        let result = bytes.withUnsafeBytes { source -> Result<Image, ImagingError> in
            var control = png_image()
            control.version = png_uint_32(CPNG_IMAGE_VERSION)
            defer { png_image_free(&control) }
            do throws(ImagingError) {
                return .success(try decode(source, bytes, &control, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(
        _ source: UnsafeRawBufferPointer, _ bytes: [UInt8], _ control: inout png_image, limits: DecodingLimits
    ) throws(ImagingError) -> Image {
        try checkChunkLengths(bytes)
        guard png_image_begin_read_from_memory(&control, source.baseAddress, source.count) != 0 else {
            throw failure(control, bytes, while: "reading the header")
        }
        let (width, height) = (Int(control.width), Int(control.height))
        try limits.checkDimensions(width: width, height: height, format: "PNG")
        control.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB)
        let sixteenBit = control.format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0
        if sixteenBit && isInterlaced(bytes) {
            return try decodeSixteenBitInterlaced(&control, bytes, width: width, height: height)
        }
        let hasAlpha = control.format & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        control.format = hasAlpha ? CPNG_FORMAT_RGBA : CPNG_FORMAT_RGB
        let channels = hasAlpha ? 4 : 3
        var finished: Int32 = 0
        let decoded = [UInt8](unsafeUninitializedCapacity: width * height * channels) { buffer, count in
            finished = png_image_finish_read(&control, nil, buffer.baseAddress, Int32(width * channels), nil)
            count = buffer.count
        }
        guard finished != 0 else { throw failure(control, bytes, while: "decoding the pixels") }
        let pixels = hasAlpha ? compositedOverWhite(decoded) : decoded
        return Image(width: width, height: height, pixels: pixels)
    }

    /// The IHDR interlace-method byte (offset 28: signature 8, chunk length 4, type 4, width
    /// 4, height 4, depth, colour type, compression, filter). Only called after libpng has
    /// accepted the header, so the bytes exist.
    static func isInterlaced(_ bytes: [UInt8]) -> Bool { bytes[28] != 0 }

    /// RGBA → RGB over a white background: `round((c·a + 255·(255 − a)) / 255)`.
    static func compositedOverWhite(_ rgba: [UInt8]) -> [UInt8] {
        let pixelCount = rgba.count / 4
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { rgb, count in
            rgba.withUnsafeBufferPointer { source in
                for p in 0..<pixelCount {
                    let alpha = UInt32(source[p &* 4 &+ 3])
                    let background = 255 &* (255 &- alpha) &+ 127
                    for c in 0..<3 {
                        let value = UInt32(source[p &* 4 &+ c]) &* alpha &+ background
                        rgb[p &* 3 &+ c] = UInt8(truncatingIfNeeded: value / 255)
                    }
                }
            }
            count = pixelCount * 3
        }
    }

    /// Walks the chunk headers before libpng sees the file: a chunk that declares more bytes than
    /// the file has left is refused here. libpng allocates a chunk's declared length before
    /// reading it (found by Fuzz/fuzz-png: a 184-byte file made it request 1 GB).
    static func checkChunkLengths(_ bytes: [UInt8]) throws(ImagingError) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 8, bytes[0..<8].elementsEqual(signature) else { return }  // libpng says why
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let isEnd = bytes[(offset + 4)..<(offset + 8)].elementsEqual([0x49, 0x45, 0x4E, 0x44])
            guard length <= Int(Int32.max), offset + 12 + length <= bytes.count else {
                throw ImagingError(
                    .truncated,
                    "A PNG chunk at byte \(offset) declares \(length) bytes but only \(bytes.count - offset - 12) remain; the file is truncated or damaged — send the complete file.")
            }
            if isEnd { return }
            offset += 12 + length
        }
    }

    /// libpng's message, classified: a file that lacks the final IEND chunk was cut short.
    static func failure(_ control: png_image, _ bytes: [UInt8], while step: String) -> ImagingError {
        let detail = withUnsafeBytes(of: control.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if !containsEndChunk(bytes) {
            return ImagingError(
                .truncated,
                "The PNG ends before its IEND chunk (libpng, \(step): \(detail)); the file is truncated — send the complete file.")
        }
        return ImagingError(.corrupt, "The PNG is invalid (libpng, \(step): \(detail)); the file is damaged.")
    }

    private static func containsEndChunk(_ bytes: [UInt8]) -> Bool {
        let iend: [UInt8] = [0x49, 0x45, 0x4E, 0x44]
        guard bytes.count >= 12 else { return false }
        var index = bytes.count - 8
        while index >= 8 {
            if bytes[index..<(index + 4)].elementsEqual(iend) { return true }
            index -= 1
        }
        return false
    }
}
