extension Image {
    /// The image transformed so that it displays upright, given the EXIF orientation it was
    /// stored with (the same transforms as Pillow's `ImageOps.exif_transpose`). Orientations
    /// 5–8 swap width and height.
    public func oriented(_ orientation: ExifOrientation) -> Image {
        if orientation == .topLeft { return self }
        let (w, h) = (width, height)
        // Source pixel index = base + x * stepX + y * stepY for output pixel (x, y).
        let (base, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case .topLeft: (base, stepX, stepY) = (0, 1, w)
        case .topRight: (base, stepX, stepY) = (w - 1, -1, w)
        case .bottomRight: (base, stepX, stepY) = ((h - 1) * w + w - 1, -1, -w)
        case .bottomLeft: (base, stepX, stepY) = ((h - 1) * w, 1, -w)
        case .leftTop: (base, stepX, stepY) = (0, w, 1)
        case .rightTop: (base, stepX, stepY) = ((h - 1) * w, -w, 1)
        case .rightBottom: (base, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        case .leftBottom: (base, stepX, stepY) = (w - 1, w, -1)
        }
        let (outWidth, outHeight) = orientation.swapsDimensions ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: pixels.count)
        var o = 0
        for y in 0..<outHeight {
            var s = base + y * stepY
            for _ in 0..<outWidth {
                out[o] = pixels[s * 3]
                out[o + 1] = pixels[s * 3 + 1]
                out[o + 2] = pixels[s * 3 + 2]
                o += 3
                s += stepX
            }
        }
        return Image(width: outWidth, height: outHeight, pixels: out)
    }
}
