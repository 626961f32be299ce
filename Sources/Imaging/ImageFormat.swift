/// The encoded formats `Image(decoding:)` reads, recognised by their leading magic bytes
/// (never by file name or declared content type).
public enum ImageFormat: String, Sendable, CaseIterable {
    /// Starts with `FF D8 FF`.
    case jpeg
    /// Starts with the 8-byte PNG signature `89 50 4E 47 0D 0A 1A 0A`.
    case png

    /// The format of `bytes`, or nil if it is neither JPEG nor PNG.
    public init?(sniffing bytes: [UInt8]) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else {
            return nil
        }
    }

    /// A name for a few common formats we do not decode, for error messages.
    static func unsupportedName(of bytes: [UInt8]) -> String? {
        func ascii(_ range: Range<Int>, _ text: String) -> Bool {
            range.upperBound <= bytes.count && bytes[range].elementsEqual(text.utf8)
        }
        if ascii(0..<4, "GIF8") { return "GIF" }
        if ascii(0..<4, "RIFF") && ascii(8..<12, "WEBP") { return "WebP" }
        if ascii(4..<8, "ftyp") { return "HEIF/AVIF (ISO media)" }
        if ascii(0..<2, "BM") { return "BMP" }
        if ascii(0..<4, "II*\u{0}") || ascii(0..<4, "MM\u{0}*") { return "TIFF" }
        return nil
    }
}
