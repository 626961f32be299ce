import Testing
@testable import VectorIndex

/// The SIMD kernels against `Double` references, over dimensions that are and are not multiples
/// of the 16-, 8- and 4-wide loops. Tolerance: `|fast − reference| ≤ 2e-5 · Σ|terms| + 1e-6`.
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

    /// The four-row kernels: each lane against the `Double` reference of its own row, with the
    /// rows distinct so that a lane reading another lane's row would fail; with and without the
    /// 16-lane loop (the build's choice is one of them, tested through `DistanceKernel`).
    @Test(arguments: [false, true])
    func fourRowKernelsMatchDoubleReference(sixteenLanes: Bool) {
        var random = SplitMix64(seed: 11)
        let dimensions = Array(1...40) + [63, 64, 65, 127, 128, 129, 512, 1283]
        for dimension in dimensions {
            let query = (0..<dimension).map { _ in Float(random.nextUnit() * 4 - 2) }
            let rows = (0..<4).map { _ in (0..<dimension).map { _ in Float(random.nextUnit() * 4 - 2) } }
            var l2 = SIMD4<Float>()
            var products = SIMD4<Float>()
            query.withUnsafeBufferPointer { q in
                rows[0].withUnsafeBufferPointer { r0 in
                    rows[1].withUnsafeBufferPointer { r1 in
                        rows[2].withUnsafeBufferPointer { r2 in
                            rows[3].withUnsafeBufferPointer { r3 in
                                let four = (r0.baseAddress!, r1.baseAddress!, r2.baseAddress!, r3.baseAddress!)
                                l2 = squaredL2x4(q.baseAddress!, four, dimension, sixteenLanes: sixteenLanes)
                                products = dotx4(q.baseAddress!, four, dimension, sixteenLanes: sixteenLanes)
                                if sixteenLanes == buildHas512BitVectors {
                                    #expect(DistanceKernel.l2.four(q.baseAddress!, four, dimension) == l2)
                                    #expect(DistanceKernel.negatedDot.four(q.baseAddress!, four, dimension) == -products)
                                }
                            }
                        }
                    }
                }
            }
            for lane in 0..<4 {
                let l2Reference = squaredL2Naive(query, rows[lane])
                let dotReference = dotNaive(query, rows[lane])
                let dotMagnitude = zip(query, rows[lane]).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                #expect(abs(Double(l2[lane]) - l2Reference) <= 2e-5 * l2Reference + 1e-6, "squaredL2x4 (16 lanes \(sixteenLanes)) dimension \(dimension) lane \(lane)")
                #expect(abs(Double(products[lane]) - dotReference) <= 2e-5 * dotMagnitude + 1e-6, "dotx4 (16 lanes \(sixteenLanes)) dimension \(dimension) lane \(lane)")
            }
        }
    }
}
