/// How an image becomes a model input: resize the short side to `resizeShortSide` (the long
/// side to `floor(long · S / short)`, truncated as torchvision's `Resize(S)` and the Pillow
/// reference pipelines do) with the antialiased bilinear filter, centre-crop
/// `cropSize × cropSize` (offset `(resized − crop) / 2`, rounded down), then normalise each
/// channel: `(x − mean[c]) / std[c]` with `x` the 0–255 value after resize and crop.
///
/// Output layout: NHWC Float32 — `cropSize × cropSize × 3` values, rows top to bottom,
/// channels interleaved R, G, B; value `(y, x, c)` at `(y · cropSize + x) · 3 + c`.
/// Examples: EfficientNet-Lite0 uses S 256, crop 224, mean 127, std 128; Keras MobileNetV2
/// uses mean 127.5, std 127.5 (`x / 127.5 − 1`). Model presets live with the models.
public struct Preprocessing: Sendable, Equatable {
    public var resizeShortSide: Int
    public var cropSize: Int
    /// Per-channel mean (R, G, B) on the 0–255 scale.
    public var mean: SIMD3<Float>
    /// Per-channel divisor (R, G, B) on the 0–255 scale; must be non-zero.
    public var std: SIMD3<Float>

    public init(resizeShortSide: Int, cropSize: Int, mean: SIMD3<Float>, std: SIMD3<Float>) {
        precondition(cropSize > 0 && cropSize <= resizeShortSide, "need 0 < cropSize ≤ resizeShortSide")
        precondition(std.x != 0 && std.y != 0 && std.z != 0, "std must be non-zero")
        self.resizeShortSide = resizeShortSide
        self.cropSize = cropSize
        self.mean = mean
        self.std = std
    }

    /// Number of floats in one preprocessed image: `cropSize · cropSize · 3`.
    public var elementCount: Int { cropSize * cropSize * 3 }

    /// The resized size for an image of `width × height`: the short side becomes
    /// `resizeShortSide`, the long side `Int(Double(long · S) / Double(short))` — the quotient
    /// rounded once to Double, then truncated, exactly Python's `int(long * S / short)`.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        func scaled(_ long: Int, _ short: Int) -> Int {
            Int(Double(long) * Double(resizeShortSide) / Double(short))
        }
        return width <= height
            ? (resizeShortSide, scaled(height, width))
            : (scaled(width, height), resizeShortSide)
    }

    /// The resized and centre-cropped 8-bit image (`cropSize × cropSize`), before
    /// normalisation. Only the cropped window is computed.
    public func resizedAndCropped(_ image: Image) -> Image {
        let size = resizedSize(width: image.width, height: image.height)
        let x = (size.width - cropSize) / 2
        let y = (size.height - cropSize) / 2
        return image.resized(
            width: size.width, height: size.height, columns: x..<(x + cropSize), rows: y..<(y + cropSize))
    }

    /// The model input for `image`: `elementCount` floats, NHWC (see the type).
    public func tensor(for image: Image) -> [Float] {
        var buffer = [Float](repeating: 0, count: elementCount)
        write(image, into: &buffer, at: 0)
        return buffer
    }

    /// Writes the model input for `image` into `buffer[offset ..< offset + elementCount]`,
    /// e.g. image `i` of a batch at `offset = i · elementCount`.
    public func write(_ image: Image, into buffer: inout [Float], at offset: Int) {
        precondition(offset >= 0 && offset + elementCount <= buffer.count, "buffer too small for the image at \(offset)")
        normalize(resizedAndCropped(image), into: &buffer, at: offset)
    }

    /// Normalises an already resized and cropped `cropSize × cropSize` image.
    public func normalize(_ image: Image, into buffer: inout [Float], at offset: Int) {
        precondition(image.width == cropSize && image.height == cropSize, "image must be cropSize × cropSize")
        precondition(offset >= 0 && offset + elementCount <= buffer.count, "buffer too small for the image at \(offset)")
        // One table per channel: the Float nearest to (v − mean) / std, computed in Double.
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for v in 0..<256 {
                table[c * 256 + v] = Float((Double(v) - Double(mean[c])) / Double(std[c]))
            }
        }
        NormalizationKernel.apply(table, to: image.pixels, into: &buffer, at: offset)
    }
}
