/// An image ready for the model: its normalised input (`cropSize² · 3` floats, NHWC, see
/// `Preprocessing`) and what the quality checks measured.
public struct PreparedImage: Sendable {
    public let upload: ValidatedUpload
    public let input: [Float]
    public let quality: QualityReport
}
