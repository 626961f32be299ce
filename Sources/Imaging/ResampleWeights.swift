/// Fixed-point weights of the bilinear (triangle) filter along one axis, for a resize from
/// `inputSize` to `outputSize` samples, covering the outputs in `outputs`.
///
/// Output sample `i` is centred at input coordinate `c = (i + 0.5) · s`, `s = in / out`.
/// When downscaling, the triangle is stretched by `s` (antialiasing): support `max(s, 1)`,
/// weight of input `j` is `tri((j + 0.5 − c) / max(s, 1))` with `tri(x) = max(0, 1 − |x|)`,
/// over inputs `j` in `[Int(c − support + 0.5), Int(c + support + 0.5))` clipped to the
/// image; weights are normalised to sum 1, then rounded to 22 fractional bits. This is the
/// arithmetic of Pillow's `Image.resize(size, Image.BILINEAR)`, so results match it exactly.
struct ResampleWeights {
    static let fractionBits = 22
    /// 0.5 in the fixed-point scale: added before the final shift to round to nearest.
    static let roundingBias = Int32(1) << (fractionBits - 1)

    /// First input index read by each output in `outputs` (in order).
    let first: [Int]
    /// Number of inputs read by each output.
    let count: [Int]
    /// Weights, `stride` per output; entries past `count` are zero.
    let values: [Int32]
    let stride: Int

    init(inputSize: Int, outputSize: Int, outputs: Range<Int>) {
        precondition(inputSize > 0 && outputSize > 0 && outputs.lowerBound >= 0 && outputs.upperBound <= outputSize)
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale
        let inverseFilterScale = 1 / filterScale
        let wholeSupport = Int(support)
        stride = (Double(wholeSupport) < support ? wholeSupport + 1 : wholeSupport) * 2 + 1  // ceil(support)·2 + 1
        var first = [Int]()
        var count = [Int]()
        var values = [Int32](repeating: 0, count: outputs.count * stride)
        var real = [Double](repeating: 0, count: stride)
        first.reserveCapacity(outputs.count)
        count.reserveCapacity(outputs.count)
        for (slot, output) in outputs.enumerated() {
            let center = (Double(output) + 0.5) * scale
            let low = max(Int(center - support + 0.5), 0)
            let high = min(Int(center + support + 0.5), inputSize)
            var total = 0.0
            for j in 0..<(high - low) {
                let x = abs((Double(j + low) - center + 0.5) * inverseFilterScale)
                real[j] = x < 1 ? 1 - x : 0
                total += real[j]
            }
            for j in 0..<(high - low) {
                let weight = total != 0 ? real[j] / total : real[j]
                values[slot * stride + j] = Int32(0.5 + weight * Double(1 << Self.fractionBits))
            }
            first.append(low)
            count.append(high - low)
        }
        self.first = first
        self.count = count
        self.values = values
    }
}
