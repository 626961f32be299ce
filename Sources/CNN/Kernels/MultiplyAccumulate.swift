/// How a kernel computes `acc + a · b`, as a type the kernel specialises on.
///
/// `addingProduct` is one fused instruction when the compiler may target FMA (`-Xcc -march=…`)
/// but a library call per lane otherwise, and Swift never fuses `acc + a * b` by itself. Kernels
/// are compiled both ways; the plan picks `FusedMultiplyAdd` only in builds that have the
/// instruction (`InstructionSet`), or when a test forces it (`PlanOptions.multiplyAdd`).
protocol MultiplyAccumulate {
    static func accumulate<V: FloatVector>(_ acc: V, _ a: V, _ b: V) -> V
}

enum SeparateMultiplyAdd: MultiplyAccumulate {
    @inline(__always)
    static func accumulate<V: FloatVector>(_ acc: V, _ a: V, _ b: V) -> V { V.multiplyAdd(acc, a, b) }
}

enum FusedMultiplyAdd: MultiplyAccumulate {
    @inline(__always)
    static func accumulate<V: FloatVector>(_ acc: V, _ a: V, _ b: V) -> V { V.fusedMultiplyAdd(acc, a, b) }
}
