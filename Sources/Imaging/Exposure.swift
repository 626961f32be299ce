/// Brightness statistics of an image on its luma channel.
///
/// Luma is ITU-R BT.601 on the 0–255 encoded values, `Y = 0.299 R + 0.587 G + 0.114 B`,
/// computed exactly (in integer thousandths), not rounded to 8 bits.
public struct Exposure: Sendable, Equatable {
    /// Mean of Y over all pixels, 0–255.
    public let meanLuma: Double
    /// Fraction of pixels with `Y < darkBelow` (default 16), 0–1.
    public let underexposedFraction: Double
    /// Fraction of pixels with `Y > brightAbove` (default 239), 0–1.
    public let overexposedFraction: Double

    public init(meanLuma: Double, underexposedFraction: Double, overexposedFraction: Double) {
        self.meanLuma = meanLuma
        self.underexposedFraction = underexposedFraction
        self.overexposedFraction = overexposedFraction
    }
}
