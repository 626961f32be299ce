import Imaging

/// The quality checks run before inference, and how the image is framed for the model.
///
/// Measured on the image as the model sees it (after the central crop, resized and cropped to
/// the model's input), so thresholds do not depend on the photo's resolution:
/// - blur: variance of the Laplacian of the luma (`Image.blurScore()`) below `minimumBlurScore`
///   (default 100) → `low_quality`;
/// - size: a decoded short side below `minimumShortSide` pixels (default 32) → `low_quality`;
/// - exposure: more than `maximumClippedFraction` (default 0.9) of the pixels darker than luma
///   16 (under-exposed) or brighter than 239 (over-exposed) → `low_quality`.
/// `centralCropFraction` (default 0.8) keeps that fraction of each side, centred, when no
/// object box is known; 1 keeps the whole photo.
public struct QualityPolicy: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var minimumBlurScore: Double
    public var minimumShortSide: Int
    public var maximumClippedFraction: Double
    public var centralCropFraction: Double

    public init(
        enabled: Bool = true, minimumBlurScore: Double = 100, minimumShortSide: Int = 32,
        maximumClippedFraction: Double = 0.9, centralCropFraction: Double = 0.8
    ) {
        precondition(centralCropFraction > 0 && centralCropFraction <= 1, "centralCropFraction must be in (0, 1]")
        self.enabled = enabled
        self.minimumBlurScore = minimumBlurScore
        self.minimumShortSide = minimumShortSide
        self.maximumClippedFraction = maximumClippedFraction
        self.centralCropFraction = centralCropFraction
    }

    enum CodingKeys: String, CodingKey {
        case enabled, minimumBlurScore = "minimum_blur_score", minimumShortSide = "minimum_short_side"
        case maximumClippedFraction = "maximum_clipped_fraction", centralCropFraction = "central_crop_fraction"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = QualityPolicy()
        self.init(
            enabled: try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? defaults.enabled,
            minimumBlurScore: try container.decodeIfPresent(Double.self, forKey: .minimumBlurScore) ?? defaults.minimumBlurScore,
            minimumShortSide: try container.decodeIfPresent(Int.self, forKey: .minimumShortSide) ?? defaults.minimumShortSide,
            maximumClippedFraction: try container.decodeIfPresent(Double.self, forKey: .maximumClippedFraction) ?? defaults.maximumClippedFraction,
            centralCropFraction: try container.decodeIfPresent(Double.self, forKey: .centralCropFraction) ?? defaults.centralCropFraction)
    }

    /// The centred `centralCropFraction` of each side of `image` (at least 1 pixel).
    public func framed(_ image: Image) -> Image {
        guard centralCropFraction < 1 else { return image }
        let width = max(1, Int(Double(image.width) * centralCropFraction))
        let height = max(1, Int(Double(image.height) * centralCropFraction))
        return image.centerCropped(width: width, height: height)
    }

    /// Checks the decoded photo's size, then blur and exposure of `modelView` (the model's
    /// 8-bit input). Throws `low_quality` naming the first failed check.
    public func check(decoded: Image, modelView: Image) throws(ClassifierError) -> QualityReport {
        let report = QualityReport(
            shortSide: decoded.shortSide, blurScore: modelView.blurScore(), exposure: modelView.exposure())
        guard enabled else { return report }
        guard report.shortSide >= minimumShortSide else {
            throw ClassifierError(.lowQuality, "The image is too small (short side \(report.shortSide) px, minimum \(minimumShortSide)); send a larger photo.")
        }
        guard report.blurScore >= minimumBlurScore else {
            throw ClassifierError(
                .lowQuality,
                "The image is too blurry (variance of the Laplacian \(Int(report.blurScore)), minimum \(Int(minimumBlurScore))); retake it in focus.")
        }
        if report.exposure.underexposedFraction > maximumClippedFraction {
            throw ClassifierError(.lowQuality, "The image is under-exposed (\(Int(report.exposure.underexposedFraction * 100))% of the pixels are nearly black); retake it with more light.")
        }
        if report.exposure.overexposedFraction > maximumClippedFraction {
            throw ClassifierError(.lowQuality, "The image is over-exposed (\(Int(report.exposure.overexposedFraction * 100))% of the pixels are nearly white); retake it with less light.")
        }
        return report
    }
}
