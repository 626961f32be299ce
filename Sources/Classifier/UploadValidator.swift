import Crypto
import Imaging

/// The first stage of the pipeline: checks an upload before any decoding work and names it.
///
/// Checks, in order: not empty, at most `maxBytes` bytes, JPEG or PNG by magic bytes (never by
/// the declared content type). The pixel-count limit is checked later, on the decoded header,
/// by the decoder (`DecodingLimits`).
public struct UploadValidator: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int = 10_000_000) {
        precondition(maxBytes > 0, "maxBytes must be positive")
        self.maxBytes = maxBytes
    }

    /// The validated upload, or the first check it fails.
    public func validate(_ bytes: [UInt8]) throws(ClassifierError) -> ValidatedUpload {
        guard !bytes.isEmpty else {
            throw ClassifierError(.emptyBody, "The request has no image bytes; send a JPEG or PNG as the body or as a multipart 'image' part.")
        }
        guard bytes.count <= maxBytes else {
            throw ClassifierError(.tooLarge, "The image has \(bytes.count) bytes, more than the limit of \(maxBytes); re-encode or downscale it.")
        }
        guard let format = ImageFormat(sniffing: bytes) else {
            throw ClassifierError(.unsupportedType, "The bytes are not a JPEG or PNG (checked by their magic bytes); convert the image to JPEG or PNG.")
        }
        return ValidatedUpload(bytes: bytes, format: format, sha256: Self.sha256Hex(bytes))
    }

    /// Lowercase hexadecimal SHA-256 of `bytes` (64 characters).
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
