extension Image {
    /// Sharpness as the variance of the Laplacian of the luma.
    ///
    /// Luma `Y = 0.299 R + 0.587 G + 0.114 B` on the 0–255 scale (ITU-R BT.601, unrounded);
    /// Laplacian with the 3×3 kernel `[0 1 0; 1 −4 1; 0 1 0]` at every interior pixel (the
    /// one-pixel border, which lacks neighbours, is skipped — "valid" convolution); the score
    /// is the population variance (divide by n) of those `(width−2)·(height−2)` values, in
    /// squared luma levels. Higher is sharper; it depends on the image size and content, so
    /// compare images at the same scale (e.g. after resizing). 0 for images under 3×3.
    public func blurScore() -> Double {
        guard width >= 3, height >= 3 else { return 0 }
        let luma = lumaThousandths()
        var sum: Int64 = 0
        var sumOfSquares = 0.0
        for y in 1..<(height - 1) {
            let row = y * width
            for x in 1..<(width - 1) {
                let i = row + x
                let laplacian = Int64(luma[i - width] + luma[i + width] + luma[i - 1] + luma[i + 1] - 4 * luma[i])
                sum += laplacian
                sumOfSquares += Double(laplacian * laplacian)
            }
        }
        let n = Double((width - 2) * (height - 2))
        let mean = Double(sum) / n
        // Y is in thousandths of a level, so squared values carry a factor 10^6.
        return (sumOfSquares / n - mean * mean) / 1_000_000
    }

    /// Mean luma and the fractions of very dark and very bright pixels; luma as in
    /// `blurScore()`. A pixel is under-exposed when `Y < darkBelow`, over-exposed when
    /// `Y > brightAbove` (levels 0–255).
    public func exposure(darkBelow: Int = 16, brightAbove: Int = 239) -> Exposure {
        let luma = lumaThousandths()
        let (dark, bright) = (Int32(darkBelow * 1000), Int32(brightAbove * 1000))
        var sum: Int64 = 0
        var darkCount = 0
        var brightCount = 0
        for y in luma {
            sum += Int64(y)
            if y < dark { darkCount += 1 }
            if y > bright { brightCount += 1 }
        }
        let n = Double(luma.count)
        return Exposure(
            meanLuma: Double(sum) / n / 1000,
            underexposedFraction: Double(darkCount) / n,
            overexposedFraction: Double(brightCount) / n)
    }

    /// `1000 · Y = 299 R + 587 G + 114 B` per pixel, exact.
    private func lumaThousandths() -> [Int32] {
        var luma = [Int32](repeating: 0, count: width * height)
        for i in 0..<luma.count {
            luma[i] = 299 * Int32(pixels[3 * i]) + 587 * Int32(pixels[3 * i + 1]) + 114 * Int32(pixels[3 * i + 2])
        }
        return luma
    }
}
