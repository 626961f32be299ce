/// An 8-bit RGB image in memory.
///
/// Layout: `pixels` holds `width × height × 3` bytes, rows top to bottom, each row left to
/// right, channels interleaved R, G, B, no row padding. The sample of channel `c` (0 = R,
/// 1 = G, 2 = B) at column `x`, row `y` is `pixels[(y * width + x) * 3 + c]`.
/// Values are the file's encoded sRGB values 0–255; no colour management is applied.
public struct Image: Sendable, Equatable {
    /// Width in pixels, at least 1.
    public let width: Int
    /// Height in pixels, at least 1.
    public let height: Int
    /// `width × height × 3` bytes, interleaved RGB (see the type's layout).
    public private(set) var pixels: [UInt8]

    /// Wraps existing interleaved RGB bytes. A size mismatch is a programmer error.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "Image needs a positive size, got \(width)×\(height)")
        precondition(
            pixels.count == width * height * 3,
            "Image \(width)×\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The length of the shorter side.
    public var shortSide: Int { min(width, height) }
}
