import Imaging

/// What the quality checks measured on one image (see `QualityPolicy`).
public struct QualityReport: Sendable, Equatable {
    /// Short side of the decoded photo, in pixels.
    public let shortSide: Int
    /// Variance of the Laplacian of the model's 8-bit input, in squared luma levels.
    public let blurScore: Double
    public let exposure: Exposure
}
