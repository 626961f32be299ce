/// Activations on 8 lanes, as types so kernels specialise on them (no closure call per vector).
/// Written with masks and `replace`: `pointwiseMax`/`clamped` are not inlined by the compiler and
/// cost 15–30× more in the kernels' output passes.
protocol VectorActivation {
    static func apply(_ v: SIMD8<Float>) -> SIMD8<Float>
}

enum IdentityActivation: VectorActivation {
    @inline(__always)
    static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> { v }
}

enum ReLUActivation: VectorActivation {
    @inline(__always)
    static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> {
        var v = v
        v.replace(with: 0, where: v .< 0)
        return v
    }
}

enum ReLU6Activation: VectorActivation {
    @inline(__always)
    static func apply(_ v: SIMD8<Float>) -> SIMD8<Float> {
        var v = v
        v.replace(with: 0, where: v .< 0)
        v.replace(with: 6, where: v .> 6)
        return v
    }
}
