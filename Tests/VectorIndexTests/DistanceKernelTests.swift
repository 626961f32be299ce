import Testing
@testable import VectorIndex

/// The SIMD kernels against `Double` references, over dimensions that are and are not multiples
/// of the 16- and 4-wide loops. Tolerance: `|fast − reference| ≤ 2e-5 · Σ|terms| + 1e-6`.
@Suite struct DistanceKernelTests {
    @Test func kernelsMatchDoubleReference() {
        var random = SplitMix64(seed: 7)
        let dimensions = Array(1...70) + [127, 128, 129, 512, 1280]
        for dimension in dimensions {
            let a = (0..<dimension).map { _ in Float(random.nextUnit() * 4 - 2) }
            let b = (0..<dimension).map { _ in Float(random.nextUnit() * 4 - 2) }
            let l2Reference = squaredL2Naive(a, b)
            let dotReference = dotNaive(a, b)
            let dotMagnitude = zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            let (l2, d) = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    (squaredL2(pa.baseAddress!, pb.baseAddress!, dimension), dot(pa.baseAddress!, pb.baseAddress!, dimension))
                }
            }
            #expect(abs(Double(l2) - l2Reference) <= 2e-5 * l2Reference + 1e-6, "squaredL2 dimension \(dimension)")
            #expect(abs(Double(d) - dotReference) <= 2e-5 * dotMagnitude + 1e-6, "dot dimension \(dimension)")
        }
    }
}
