import COpenBLAS

/// Which distance kernel an index runs: squared L2, or the negated dot product (inner product and
/// cosine, smaller is closer). Both work on any dimension; the main loop is 16 floats wide with
/// two accumulators, then an 4-wide loop and a scalar tail.
enum DistanceKernel: Sendable {
    case l2
    case negatedDot

    @inline(__always)
    func callAsFunction(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        switch self {
        case .l2: squaredL2(a, b, dimension)
        case .negatedDot: -dot(a, b, dimension)
        }
    }
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD4<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Float>.self)
}

/// `Σ (aᵢ − bᵢ)²` over `n` floats.
@inline(__always)
func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
    var i = 0
    while i &+ 32 <= n {
        let d0 = load16(a, i) - load16(b, i)
        let d1 = load16(a, i &+ 16) - load16(b, i &+ 16)
        s0 = d0 * d0 + s0
        s1 = d1 * d1 + s1
        i &+= 32
    }
    if i &+ 16 <= n {
        let d0 = load16(a, i) - load16(b, i)
        s0 = d0 * d0 + s0
        i &+= 16
    }
    var s4 = SIMD4<Float>()
    while i &+ 4 <= n {
        let d = load4(a, i) - load4(b, i)
        s4 = d * d + s4
        i &+= 4
    }
    var total = (s0 + s1).sum() + s4.sum()
    while i < n {
        let d = a[i] - b[i]
        total += d * d
        i &+= 1
    }
    return total
}

/// `Σ aᵢ·bᵢ` over `n` floats.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
    var i = 0
    while i &+ 32 <= n {
        s0 = load16(a, i) * load16(b, i) + s0
        s1 = load16(a, i &+ 16) * load16(b, i &+ 16) + s1
        i &+= 32
    }
    if i &+ 16 <= n {
        s0 = load16(a, i) * load16(b, i) + s0
        i &+= 16
    }
    var s4 = SIMD4<Float>()
    while i &+ 4 <= n {
        s4 = load4(a, i) * load4(b, i) + s4
        i &+= 4
    }
    var total = (s0 + s1).sum() + s4.sum()
    while i < n {
        total += a[i] * b[i]
        i &+= 1
    }
    return total
}

/// Reference for `squaredL2`, accumulated in `Double`, one element at a time.
func squaredL2Naive(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0.0) { sum, pair in
        let d = Double(pair.0) - Double(pair.1)
        return sum + d * d
    }
}

/// Reference for `dot`, accumulated in `Double`, one element at a time.
func dotNaive(_ a: [Float], _ b: [Float]) -> Double {
    zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

/// `out[i·rows + j] = Σ_d queries[i·dim + d] · base[j·dim + d]` for `count` queries against
/// `rows` base vectors (one `cblas_sgemm`, row-major, B transposed). OpenBLAS may use its own
/// threads here; callers run it from a single thread.
func innerProducts(
    queries: UnsafePointer<Float>, count: Int, base: UnsafePointer<Float>, rows: Int, dimension: Int,
    into out: UnsafeMutablePointer<Float>
) {
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(rows), Int32(dimension),
        1, queries, Int32(dimension), base, Int32(dimension), 0, out, Int32(rows))
}

/// Squared norms `Σ xᵢ²` of `rows` consecutive vectors.
func squaredNorms(_ base: UnsafePointer<Float>, rows: Int, dimension: Int, into out: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = base + r &* dimension
        out[r] = dot(row, row, dimension)
    }
}
