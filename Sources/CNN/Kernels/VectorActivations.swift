/// Activations on a vector, as types so kernels specialise on them (no closure call per vector).
/// Written with masks and `replace` (`FloatVector`): `pointwiseMax`/`clamped` are not inlined by
/// the compiler and cost many times more in the kernels' output passes.
protocol VectorActivation {
    static func apply<V: FloatVector>(_ v: V) -> V
}

enum IdentityActivation: VectorActivation {
    @inline(__always)
    static func apply<V: FloatVector>(_ v: V) -> V { v }
}

enum ReLUActivation: VectorActivation {
    @inline(__always)
    static func apply<V: FloatVector>(_ v: V) -> V { v.clampedAtZero() }
}

enum ReLU6Activation: VectorActivation {
    @inline(__always)
    static func apply<V: FloatVector>(_ v: V) -> V { v.clampedToSix() }
}
