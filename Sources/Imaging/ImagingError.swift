/// An error from decoding or validating an image.
///
/// `code` is stable and meant for programs (the service maps it to its JSON error codes);
/// `message` is for people and says what was wrong and what to do about it.
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable identifier. New codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The input has zero bytes.
        public static let emptyInput = Code(rawValue: "empty_input")
        /// The bytes are not a JPEG or PNG (decided by the magic bytes), or a JPEG uses a
        /// colour space we do not decode (CMYK / YCCK).
        public static let unsupportedFormat = Code(rawValue: "unsupported_format")
        /// The file ends before the image data does.
        public static let truncated = Code(rawValue: "truncated")
        /// The decoder rejected the data (bad header, bad checksum, bad compressed data).
        public static let corrupt = Code(rawValue: "corrupt")
        /// The input has more bytes than `DecodingLimits.maxInputBytes`.
        public static let tooLarge = Code(rawValue: "too_large")
        /// The header declares more pixels than `DecodingLimits.maxPixels`.
        public static let tooManyPixels = Code(rawValue: "too_many_pixels")
        /// A decoder could not be created (the C library failed to allocate its state).
        public static let decoderUnavailable = Code(rawValue: "decoder_unavailable")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
