import CInstructionSet
import COpenBLAS

/// Whether this build has fused multiply-add instructions (`addingProduct` is a library call per
/// lane without them) and 512-bit registers: constants of the build the optimiser folds, so each
/// kernel below compiles to one loop shape.
@inline(__always)
private var buildHasFMA: Bool { colecionador_compiled_has_fma() != 0 }

@inline(__always)
var buildHas512BitVectors: Bool { colecionador_compiled_isa_level() >= 4 }

/// `acc + a · b`: fused when the build has the instruction. One overload per width: the concrete
/// types' operators are single vector instructions, the generic `SIMD` ones loop over lanes.
@inline(__always)
private func multiplyAdd(_ acc: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    buildHasFMA ? acc.addingProduct(a, b) : acc + a * b
}

@inline(__always)
private func multiplyAdd(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
    buildHasFMA ? acc.addingProduct(a, b) : acc + a * b
}

@inline(__always)
private func multiplyAdd(_ acc: SIMD4<Float>, _ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> {
    buildHasFMA ? acc.addingProduct(a, b) : acc + a * b
}

/// Which distance kernel an index runs: squared L2, or the negated dot product (inner product and
/// cosine, smaller is closer). Both work on any dimension. One row: the main loop is 16 floats
/// wide with two accumulators, then a 4-wide loop and a scalar tail. Four rows (`four`): see
/// `squaredL2x4`.
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

    /// The distances from `query` to four rows, lane `j` for `rows.j`.
    @inline(__always)
    func four(
        _ query: UnsafePointer<Float>, _ rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        _ dimension: Int
    ) -> SIMD4<Float> {
        switch self {
        case .l2: squaredL2x4(query, rows, dimension)
        case .negatedDot: -dotx4(query, rows, dimension)
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

@inline(__always)
private func load8(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

/// `Σ (aᵢ − bᵢ)²` over `n` floats.
@inline(__always)
func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
    var i = 0
    while i &+ 32 <= n {
        let d0 = load16(a, i) - load16(b, i)
        let d1 = load16(a, i &+ 16) - load16(b, i &+ 16)
        s0 = multiplyAdd(s0, d0, d0)
        s1 = multiplyAdd(s1, d1, d1)
        i &+= 32
    }
    if i &+ 16 <= n {
        let d0 = load16(a, i) - load16(b, i)
        s0 = multiplyAdd(s0, d0, d0)
        i &+= 16
    }
    var s4 = SIMD4<Float>()
    while i &+ 4 <= n {
        let d = load4(a, i) - load4(b, i)
        s4 = multiplyAdd(s4, d, d)
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
        s0 = multiplyAdd(s0, load16(a, i), load16(b, i))
        s1 = multiplyAdd(s1, load16(a, i &+ 16), load16(b, i &+ 16))
        i &+= 32
    }
    if i &+ 16 <= n {
        s0 = multiplyAdd(s0, load16(a, i), load16(b, i))
        i &+= 16
    }
    var s4 = SIMD4<Float>()
    while i &+ 4 <= n {
        s4 = multiplyAdd(s4, load4(a, i), load4(b, i))
        i &+= 4
    }
    var total = (s0 + s1).sum() + s4.sum()
    while i < n {
        total += a[i] * b[i]
        i &+= 1
    }
    return total
}

/// `Σ (qᵢ − rᵢ)²` for four rows at once (lane `j` for row `j`). The rows of a graph search are
/// scattered in memory: reading all four in one loop lets their cache misses overlap instead of
/// waiting for one row after another, and each slice of the query is loaded once for all four.
/// One accumulator per row (four independent chains): 16 floats per step in builds with 512-bit
/// registers (four of them; below that level 16-float accumulators would take four registers
/// each and spill), then 8 per step, then a scalar tail. Tests pass `sixteenLanes` to run both
/// loops in any build.
@inline(__always)
func squaredL2x4(
    _ q: UnsafePointer<Float>, _ rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    _ n: Int, sixteenLanes: Bool = buildHas512BitVectors
) -> SIMD4<Float> {
    let (r0, r1, r2, r3) = rows
    var i = 0
    var wide = SIMD4<Float>()
    if sixteenLanes {
        var w0 = SIMD16<Float>(), w1 = SIMD16<Float>(), w2 = SIMD16<Float>(), w3 = SIMD16<Float>()
        while i &+ 16 <= n {
            let x = load16(q, i)
            let d0 = load16(r0, i) - x
            let d1 = load16(r1, i) - x
            let d2 = load16(r2, i) - x
            let d3 = load16(r3, i) - x
            w0 = multiplyAdd(w0, d0, d0)
            w1 = multiplyAdd(w1, d1, d1)
            w2 = multiplyAdd(w2, d2, d2)
            w3 = multiplyAdd(w3, d3, d3)
            i &+= 16
        }
        wide = SIMD4<Float>(w0.sum(), w1.sum(), w2.sum(), w3.sum())
    }
    var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
    while i &+ 8 <= n {
        let x = load8(q, i)
        let d0 = load8(r0, i) - x
        let d1 = load8(r1, i) - x
        let d2 = load8(r2, i) - x
        let d3 = load8(r3, i) - x
        s0 = multiplyAdd(s0, d0, d0)
        s1 = multiplyAdd(s1, d1, d1)
        s2 = multiplyAdd(s2, d2, d2)
        s3 = multiplyAdd(s3, d3, d3)
        i &+= 8
    }
    var total = wide + SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
    while i < n {
        let x = q[i]
        let d = SIMD4<Float>(r0[i] - x, r1[i] - x, r2[i] - x, r3[i] - x)
        total = d * d + total
        i &+= 1
    }
    return total
}

/// `Σ qᵢ·rᵢ` for four rows at once (lane `j` for row `j`); same loop shape as `squaredL2x4`.
@inline(__always)
func dotx4(
    _ q: UnsafePointer<Float>, _ rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
    _ n: Int, sixteenLanes: Bool = buildHas512BitVectors
) -> SIMD4<Float> {
    let (r0, r1, r2, r3) = rows
    var i = 0
    var wide = SIMD4<Float>()
    if sixteenLanes {
        var w0 = SIMD16<Float>(), w1 = SIMD16<Float>(), w2 = SIMD16<Float>(), w3 = SIMD16<Float>()
        while i &+ 16 <= n {
            let x = load16(q, i)
            w0 = multiplyAdd(w0, load16(r0, i), x)
            w1 = multiplyAdd(w1, load16(r1, i), x)
            w2 = multiplyAdd(w2, load16(r2, i), x)
            w3 = multiplyAdd(w3, load16(r3, i), x)
            i &+= 16
        }
        wide = SIMD4<Float>(w0.sum(), w1.sum(), w2.sum(), w3.sum())
    }
    var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
    while i &+ 8 <= n {
        let x = load8(q, i)
        s0 = multiplyAdd(s0, load8(r0, i), x)
        s1 = multiplyAdd(s1, load8(r1, i), x)
        s2 = multiplyAdd(s2, load8(r2, i), x)
        s3 = multiplyAdd(s3, load8(r3, i), x)
        i &+= 8
    }
    var total = wide + SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
    while i < n {
        let x = q[i]
        total = SIMD4<Float>(r0[i], r1[i], r2[i], r3[i]) * x + total
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
