import Imaging

/// Image bytes that passed `UploadValidator`: a JPEG or PNG of an accepted size, with the
/// SHA-256 that (with the model version) keys the result cache.
public struct ValidatedUpload: Sendable {
    public let bytes: [UInt8]
    public let format: ImageFormat
    /// Lowercase hex SHA-256 of `bytes`.
    public let sha256: String
}
