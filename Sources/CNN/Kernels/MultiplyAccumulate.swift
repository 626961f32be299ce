/// How a kernel computes `acc + a · b` on 8 lanes, as a type the kernel specialises on.
///
/// `addingProduct` is one fused instruction when the compiler may target FMA
/// (`-Xswiftc -target-cpu …`) but a library call per lane otherwise (≈50× slower), and Swift
/// never fuses `acc + a * b` by itself. Kernels are compiled both ways and `KernelCalibration`
/// picks the faster one in this process.
protocol MultiplyAccumulate {
    static func accumulate(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
}

enum SeparateMultiplyAdd: MultiplyAccumulate {
    @inline(__always)
    static func accumulate(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        acc + a * b
    }
}

enum FusedMultiplyAdd: MultiplyAccumulate {
    @inline(__always)
    static func accumulate(_ acc: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        acc.addingProduct(a, b)
    }
}
