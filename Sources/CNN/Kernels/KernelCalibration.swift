import Dispatch

/// Which kernels are fastest in this build on this CPU, measured once per process.
///
/// Our packed SIMD kernel beats OpenBLAS on the small-K 1×1 convolutions of mobile networks only
/// when the compiler was allowed the CPU's vector extensions, and its 16-lane tiles beat its
/// 8-lane ones only where a vector register holds 16 floats. A package dependency cannot set the
/// compiler flags, so instead of guessing, `.automatic` choices time the candidates this build
/// has on representative shapes, on one thread, and keep the fastest:
/// - 1×1: M = 784, K = 96, N = 144 (a mid-network expansion with ReLU6): OpenBLAS, our 8-lane
///   kernel, and in builds for AVX-512 our 16-lane kernel;
/// - depthwise, in builds for AVX-512 only: 8 or 16 lanes on 28×28×240, 5×5 (below that level the
///   16-lane loops compile to several narrower registers each and cannot win).
/// Multiply-adds are fused exactly when the build has the instruction (`InstructionSet`): that
/// is known at compile time, not measured. Public for the benchmarks only.
@_spi(Benchmarks)
public enum KernelCalibration {
    /// The fastest 1×1-convolution kernel here (never `.automatic`).
    public static var pointwise: PlanOptions.PointwiseKernel { measured.pointwise }

    /// The vector width of the packed 1×1 kernel when it runs.
    public static var pointwiseLanes: PlanOptions.VectorLanes { measured.pointwiseLanes }

    /// The vector width of the depthwise and direct convolution kernels.
    public static var convolutionLanes: PlanOptions.VectorLanes { measured.convolutionLanes }

    private struct Choice {
        var pointwise: PlanOptions.PointwiseKernel
        var pointwiseLanes: PlanOptions.VectorLanes
        var convolutionLanes: PlanOptions.VectorLanes
    }

    private static let measured: Choice = measure()

    /// The lane counts worth timing in this build.
    private static var laneCandidates: [PlanOptions.VectorLanes] {
        InstructionSet.compiledWith512BitVectors ? [.eight, .sixteen] : [.eight]
    }

    private static func measure() -> Choice {
        let fused = InstructionSet.compiledWithFusedMultiplyAdd
        // Every candidate on one thread, OpenBLAS included (it always runs on one: `BLAS`): the
        // choice is per thread of work, and layers split across threads split every candidate
        // alike.
        BLAS.useOneThread()

        let pointwiseShape = Shape(m: 784, k: 96, n: 144)
        let geometry1x1 = WindowGeometry(
            inputHeight: 28, inputWidth: 28, kernel: (1, 1), stride: (1, 1), dilation: (1, 1), padding: .valid)!
        let pointwiseParameters = ConvolutionParameters(
            geometry: geometry1x1, inputChannels: pointwiseShape.k, outputChannels: pointwiseShape.n, groups: 1,
            weights: ParameterStorage((0..<(pointwiseShape.k * pointwiseShape.n)).map { Float($0 % 7) * 0.01 }),
            epilogue: Epilogue(bias: nil, activation: .relu6))
        var pointwiseCandidates: [(PointwiseChoice, any Kernel)] = [
            (PointwiseChoice(kernel: .blas, lanes: .eight), PointwiseConvolutionKernel(parameters: pointwiseParameters))
        ]
        for lanes in laneCandidates {
            pointwiseCandidates.append(
                (PointwiseChoice(kernel: .simd, lanes: lanes),
                 PackedPointwiseConvolutionKernel(parameters: pointwiseParameters, variant: SIMDVariant(lanes: lanes, fused: fused))))
        }
        let pointwise = fastest(
            pointwiseCandidates, inputCount: pointwiseShape.m * pointwiseShape.k, outputCount: pointwiseShape.m * pointwiseShape.n)

        var convolutionLanes = PlanOptions.VectorLanes.eight
        if laneCandidates.count > 1 {
            let channels = 240
            let geometry5x5 = WindowGeometry(
                inputHeight: 28, inputWidth: 28, kernel: (5, 5), stride: (1, 1), dilation: (1, 1), padding: .same)!
            let depthwiseParameters = ConvolutionParameters(
                geometry: geometry5x5, inputChannels: channels, outputChannels: channels, groups: channels,
                weights: ParameterStorage((0..<(25 * channels)).map { Float($0 % 5) * 0.01 }),
                epilogue: Epilogue(bias: nil, activation: .relu6))
            let candidates: [(PlanOptions.VectorLanes, any Kernel)] = laneCandidates.map { lanes in
                (lanes, DepthwiseConvolutionKernel(parameters: depthwiseParameters, variant: SIMDVariant(lanes: lanes, fused: fused)))
            }
            convolutionLanes = fastest(candidates, inputCount: 28 * 28 * channels, outputCount: 28 * 28 * channels)
        }
        return Choice(pointwise: pointwise.kernel, pointwiseLanes: pointwise.lanes, convolutionLanes: convolutionLanes)
    }

    private struct PointwiseChoice: Hashable {
        let kernel: PlanOptions.PointwiseKernel
        let lanes: PlanOptions.VectorLanes
    }

    private struct Shape {
        let m: Int
        let k: Int
        let n: Int
    }

    /// The candidate whose best run is shortest. One timed run each drops the hopeless; the rest
    /// alternate for 15 rounds and keep their fastest run, so a burst of load on a shared machine
    /// hits every candidate alike.
    private static func fastest<Choice: Hashable>(_ candidates: [(Choice, any Kernel)], inputCount: Int, outputCount: Int) -> Choice {
        let input = UnsafeMutablePointer<Float>.allocate(capacity: inputCount)
        let output = UnsafeMutablePointer<Float>.allocate(capacity: outputCount)
        let table = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: 2)
        defer {
            input.deallocate()
            output.deallocate()
            table.deallocate()
        }
        input.initialize(repeating: 0.5, count: inputCount)
        table[0] = input
        table[1] = output
        let io = KernelIO(table: table, inputSlots: [0], outputSlot: 1, scratch: output)
        func timed(_ kernel: any Kernel) -> UInt64 {
            let start = DispatchTime.now().uptimeNanoseconds
            kernel.run(batch: 1, io)
            return DispatchTime.now().uptimeNanoseconds - start
        }
        var times: [Choice: UInt64] = [:]
        for (choice, kernel) in candidates {
            kernel.run(batch: 1, io)
            times[choice] = timed(kernel)
        }
        let firstBest = times.values.min()!
        let contenders = candidates.filter { times[$0.0]! <= firstBest * 3 }
        for _ in 0..<15 {
            for (choice, kernel) in contenders { times[choice] = min(times[choice]!, timed(kernel)) }
        }
        return times.min { $0.value < $1.value }!.key
    }
}
