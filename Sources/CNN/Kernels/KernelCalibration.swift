import Dispatch

/// Which kernels are fastest in this build on this CPU, measured once per process.
///
/// Our packed SIMD kernel beats OpenBLAS on the small-K 1×1 convolutions of mobile networks only
/// when the compiler was allowed the CPU's vector extensions, and `addingProduct` is one FMA
/// instruction only then (a library call per lane otherwise). A package dependency cannot set
/// those flags, so instead of guessing, `PlanOptions.PointwiseKernel.automatic` times the
/// candidates on a representative shape (M = 784, K = 96, N = 144, a mid-network expansion with
/// ReLU6) on one thread and keeps the fastest; the depthwise kernel uses fused multiply-adds when
/// they won.
public enum KernelCalibration {
    /// The fastest 1×1-convolution kernel here (never `.automatic`).
    public static var pointwise: PlanOptions.PointwiseKernel { measured.pointwise }

    /// Whether `addingProduct` compiled to a fast fused instruction in this build.
    public static var fusedMultiplyAddIsFast: Bool { measured.fused }

    private static let measured: (pointwise: PlanOptions.PointwiseKernel, fused: Bool) = measure()

    private static func measure() -> (PlanOptions.PointwiseKernel, Bool) {
        let (m, k, n) = (784, 96, 144)
        let geometry = WindowGeometry(
            inputHeight: 28, inputWidth: 28, kernel: (1, 1), stride: (1, 1), dilation: (1, 1), padding: .valid)!
        let parameters = ConvolutionParameters(
            geometry: geometry, inputChannels: k, outputChannels: n, groups: 1,
            weights: ParameterStorage((0..<(k * n)).map { Float($0 % 7) * 0.01 }), epilogue: Epilogue(bias: nil, activation: .relu6))
        let candidates: [(PlanOptions.PointwiseKernel, any Kernel)] = [
            (.blas, PointwiseConvolutionKernel(parameters: parameters)),
            (.simd, PackedPointwiseConvolutionKernel(parameters: parameters, fused: false)),
            (.simdFused, PackedPointwiseConvolutionKernel(parameters: parameters, fused: true)),
        ]
        let input = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
        let output = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        let table = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: 2)
        defer {
            input.deallocate()
            output.deallocate()
            table.deallocate()
        }
        input.initialize(repeating: 0.5, count: m * k)
        // Every candidate on one thread: the choice is per thread of work (requests and batch
        // shards run in parallel, each with OpenBLAS on one thread). With OpenBLAS at its default
        // of one thread per core it beat our one-thread kernels in some processes and not in
        // others, and those processes ran 1.4–1.7× slower.
        let previousThreads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(previousThreads) }
        table[0] = input
        table[1] = output
        let io = KernelIO(table: table, inputSlots: [0], outputSlot: 1, scratch: output)
        // One timed run each drops the hopeless (fused multiply-add without an FMA target is
        // ~50× slower); the rest alternate for 15 rounds and keep their fastest run, so a burst
        // of load on a shared machine hits every candidate alike.
        func timed(_ kernel: any Kernel) -> UInt64 {
            let start = DispatchTime.now().uptimeNanoseconds
            kernel.run(batch: 1, io)
            return DispatchTime.now().uptimeNanoseconds - start
        }
        var times: [PlanOptions.PointwiseKernel: UInt64] = [:]
        for (choice, kernel) in candidates {
            kernel.run(batch: 1, io)
            times[choice] = timed(kernel)
        }
        let firstBest = times.values.min()!
        let contenders = candidates.filter { times[$0.0]! <= firstBest * 3 }
        for _ in 0..<15 {
            for (choice, kernel) in contenders { times[choice] = min(times[choice]!, timed(kernel)) }
        }
        let best = times.min { $0.value < $1.value }!.key
        return (best, times[.simdFused]! < times[.simd]!)
    }
}
