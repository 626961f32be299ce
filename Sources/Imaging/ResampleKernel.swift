/// The two passes of the separable resize on interleaved RGB8, in Pillow's fixed-point
/// arithmetic: each output is `clamp((2^21 + Σ sample·weight) >> 22, 0, 255)` with weights
/// from `ResampleWeights`. The horizontal pass runs first, into an 8-bit intermediate.
enum ResampleKernel {
    /// Resamples each row of `rows` of `source` (`sourceWidth` RGB pixels per row) along x;
    /// writes `weights.count.count` pixels per row, rows packed, into `destination`.
    static func horizontal(
        _ source: UnsafeBufferPointer<UInt8>, sourceWidth: Int, rows: Range<Int>,
        weights: ResampleWeights, into destination: UnsafeMutableBufferPointer<UInt8>
    ) {
        let outputWidth = weights.count.count
        let stride = weights.stride
        weights.values.withUnsafeBufferPointer { w in
            weights.first.withUnsafeBufferPointer { first in
                weights.count.withUnsafeBufferPointer { count in
                    var o = 0
                    for y in rows {
                        let row = y &* sourceWidth &* 3
                        for x in 0..<outputWidth {
                            var r = ResampleWeights.roundingBias
                            var g = r
                            var b = r
                            var s = row &+ first[x] &* 3
                            let k = x &* stride
                            for t in 0..<count[x] {
                                let weight = w[k &+ t]
                                r = r &+ Int32(source[s]) &* weight
                                g = g &+ Int32(source[s &+ 1]) &* weight
                                b = b &+ Int32(source[s &+ 2]) &* weight
                                s = s &+ 3
                            }
                            destination[o] = clamp(r)
                            destination[o &+ 1] = clamp(g)
                            destination[o &+ 2] = clamp(b)
                            o = o &+ 3
                        }
                    }
                }
            }
        }
    }

    /// Resamples along y. `source` holds consecutive rows of `rowLength` bytes, the first
    /// being input row `firstSourceRow`; writes `weights.count.count` rows into `destination`.
    /// `accumulator` is scratch of at least `rowLength` elements.
    static func vertical(
        _ source: UnsafeBufferPointer<UInt8>, rowLength: Int, firstSourceRow: Int,
        weights: ResampleWeights, accumulator: UnsafeMutableBufferPointer<Int32>,
        into destination: UnsafeMutableBufferPointer<UInt8>
    ) {
        weights.values.withUnsafeBufferPointer { w in
            for y in 0..<weights.count.count {
                for i in 0..<rowLength { accumulator[i] = ResampleWeights.roundingBias }
                let k = y &* weights.stride
                for t in 0..<weights.count[y] {
                    let weight = w[k &+ t]
                    let row = (weights.first[y] &+ t &- firstSourceRow) &* rowLength
                    for i in 0..<rowLength {
                        accumulator[i] = accumulator[i] &+ Int32(source[row &+ i]) &* weight
                    }
                }
                let out = y &* rowLength
                for i in 0..<rowLength { destination[out &+ i] = clamp(accumulator[i]) }
            }
        }
    }

    @inline(__always)
    private static func clamp(_ sum: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max(sum >> Int32(ResampleWeights.fractionBits), 0), 255))
    }
}
