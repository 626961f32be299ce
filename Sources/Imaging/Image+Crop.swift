extension Image {
    /// The `width × height` region whose top-left pixel is `(x, y)`.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> Image {
        precondition(
            x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= self.width && y + height <= self.height,
            "crop \(width)×\(height) at (\(x), \(y)) must lie inside \(self.width)×\(self.height)")
        var out = [UInt8]()
        out.reserveCapacity(width * height * 3)
        for row in y..<(y + height) {
            let start = (row * self.width + x) * 3
            out.append(contentsOf: pixels[start..<(start + width * 3)])
        }
        return Image(width: width, height: height, pixels: out)
    }

    /// The centred `width × height` region; the offset is `(self.width − width) / 2`
    /// (rounded down), likewise for y.
    public func centerCropped(width: Int, height: Int) -> Image {
        cropped(x: (self.width - width) / 2, y: (self.height - height) / 2, width: width, height: height)
    }
}
