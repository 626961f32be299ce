import Imaging

/// One "squeezer" of feature squeezing (Xu, Evans & Qi, NDSS 2018): a transform of the model's
/// 8-bit RGB input (after resize and crop, before normalisation) that removes detail a natural
/// photo does not need but an adversarial perturbation does. Each channel is squeezed alone.
///
/// - `bitDepth(b)`: with `L = 2^b − 1`, each sample `v` becomes the 8-bit value nearest to its
///   nearest `b`-bit level, halves rounded up, in integers:
///   `level = ⌊(L·v + 127) / 255⌋`, `v′ = ⌊(255·level + ⌊L/2⌋) / L⌋` (b = 5: 32 levels).
/// - `median(k)`: the median of the `k × k` window of rows `y − ⌊k/2⌋ … y − ⌊k/2⌋ + k − 1`
///   (columns likewise), the `⌊k²/2⌋`-th smallest value counted from 0 (for even `k` the upper
///   of the two middle values); outside the image the rows and columns are mirrored with the
///   edge repeated (`−1 → 0`, `−2 → 1`, `n → n − 1`). These are the conventions of
///   `scipy.ndimage.median_filter(size=k, mode="reflect")`, the test reference.
public enum FeatureSqueezer: Sendable, Hashable, CustomStringConvertible {
    case bitDepth(Int)
    case median(Int)

    /// `bits5`, `median2x2`: the name used in reports and docs.
    public var description: String {
        switch self {
        case .bitDepth(let bits): "bits\(bits)"
        case .median(let size): "median\(size)x\(size)"
        }
    }

    /// `image` squeezed; same size.
    public func squeezed(_ image: Image) -> Image {
        switch self {
        case .bitDepth(let bits):
            precondition((1...8).contains(bits), "bit depth must be 1…8, got \(bits)")
            let levels = (1 << bits) - 1
            let table = (0..<256).map { value -> UInt8 in
                let level = (levels * value + 127) / 255
                return UInt8((255 * level + levels / 2) / levels)
            }
            return Image(width: image.width, height: image.height, pixels: image.pixels.map { table[Int($0)] })
        case .median(let size):
            precondition(size >= 1, "median window must be at least 1, got \(size)")
            return Self.median(image, size: size)
        }
    }

    private static func median(_ image: Image, size: Int) -> Image {
        let rows = (0..<image.height).map { mirrored(window: $0, size: size, count: image.height) }
        let columns = (0..<image.width).map { mirrored(window: $0, size: size, count: image.width) }
        let rank = size * size / 2
        var output = [UInt8](repeating: 0, count: image.pixels.count)
        var window = [UInt8](repeating: 0, count: size * size)
        for y in 0..<image.height {
            for x in 0..<image.width {
                for channel in 0..<3 {
                    var slot = 0
                    for row in rows[y] {
                        for column in columns[x] {
                            window[slot] = image.pixels[(row * image.width + column) * 3 + channel]
                            slot += 1
                        }
                    }
                    window.sort()
                    output[(y * image.width + x) * 3 + channel] = window[rank]
                }
            }
        }
        return Image(width: image.width, height: image.height, pixels: output)
    }

    /// The source indices of the window at `position`, mirrored at the edges (edge repeated).
    private static func mirrored(window position: Int, size: Int, count: Int) -> [Int] {
        let first = position - size / 2
        return (first..<(first + size)).map { index in
            var i = index
            let period = 2 * count
            i = ((i % period) + period) % period
            return i < count ? i : period - 1 - i
        }
    }
}
