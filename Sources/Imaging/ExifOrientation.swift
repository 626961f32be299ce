/// The EXIF orientation tag (0x0112): how the stored pixels must be transformed to show the
/// picture upright. Case names follow the EXIF/TIFF specification: where the stored image's
/// row 0 and column 0 are in the visual picture (e.g. `.rightTop`, value 6: row 0 is the
/// visual right side, column 0 the visual top; the camera was rotated, the fix is a 90°
/// clockwise rotation).
public enum ExifOrientation: UInt16, Sendable, CaseIterable {
    /// 1: stored upright; nothing to do.
    case topLeft = 1
    /// 2: mirrored left–right.
    case topRight = 2
    /// 3: rotated 180°.
    case bottomRight = 3
    /// 4: mirrored top–bottom.
    case bottomLeft = 4
    /// 5: transposed (mirrored across the top-left–bottom-right diagonal).
    case leftTop = 5
    /// 6: needs a 90° clockwise rotation.
    case rightTop = 6
    /// 7: transversed (mirrored across the top-right–bottom-left diagonal).
    case rightBottom = 7
    /// 8: needs a 90° counter-clockwise rotation.
    case leftBottom = 8

    /// Whether applying the orientation swaps width and height.
    public var swapsDimensions: Bool { rawValue >= 5 }

    /// Reads the orientation from a JPEG's first EXIF APP1 segment (`"Exif\0\0"` + a TIFF
    /// header + IFD0). Returns nil when there is no EXIF block, no orientation tag, a value
    /// outside 1…8, or any malformed structure: every offset and count is checked against
    /// the segment's bounds, so a damaged block is ignored rather than trusted.
    public init?(jpeg bytes: [UInt8]) {
        let header = JPEGSegments(bytes)
        let exifSignature: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        guard
            let app1 = header.segments.first(where: {
                $0.marker == JPEGSegments.app1 && bytes[$0.payload].starts(with: exifSignature)
            })
        else { return nil }
        let tiff = app1.payload.lowerBound + exifSignature.count
        guard let value = Self.orientationValue(bytes, tiffStart: tiff, end: app1.payload.upperBound) else {
            return nil
        }
        self.init(rawValue: value)
    }

    private static func orientationValue(_ bytes: [UInt8], tiffStart: Int, end: Int) -> UInt16? {
        guard tiffStart + 8 <= end else { return nil }
        let littleEndian: Bool
        switch (bytes[tiffStart], bytes[tiffStart + 1]) {
        case (0x49, 0x49): littleEndian = true  // "II"
        case (0x4D, 0x4D): littleEndian = false  // "MM"
        default: return nil
        }
        func u16(_ at: Int) -> UInt16? {
            guard at >= tiffStart, at + 2 <= end else { return nil }
            let (a, b) = (UInt16(bytes[at]), UInt16(bytes[at + 1]))
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> UInt32? {
            guard let first = u16(at), let second = u16(at + 2) else { return nil }
            return littleEndian
                ? UInt32(first) | UInt32(second) << 16 : UInt32(first) << 16 | UInt32(second)
        }
        guard u16(tiffStart + 2) == 42, let ifdOffset = u32(tiffStart + 4) else { return nil }
        let ifd = tiffStart + Int(ifdOffset)
        guard ifd < end, let entryCount = u16(ifd) else { return nil }
        let orientationTag: UInt16 = 0x0112
        let (short, long): (UInt16, UInt16) = (3, 4)
        for entry in 0..<Int(entryCount) {
            let at = ifd + 2 + entry * 12
            guard at + 12 <= end, let tag = u16(at), let type = u16(at + 2), let count = u32(at + 4)
            else { return nil }
            guard tag == orientationTag else { continue }
            guard count == 1 else { return nil }
            switch type {
            case short: return u16(at + 8)
            case long: return u32(at + 8).flatMap { UInt16(exactly: $0) }
            default: return nil
            }
        }
        return nil
    }
}
