import ArgumentParser
@_spi(Benchmarks) import CNN
import Dispatch
import Foundation
@_spi(Benchmarks) import Models

/// `layers`: time per planned step of a model (median of repetitions), with its GFLOP/s and its
/// share of the total, to show where the time goes.
struct LayersBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "layers", abstract: "Time per layer of a model.")

    @Option(help: "Model: \(BuiltInModel.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: String = BuiltInModel.efficientNetLite0.rawValue

    @Option(help: "Batch size.")
    var batch: Int = 1

    @Option(help: "Threads each layer splits across (OpenBLAS stays on one; see `inference`).")
    var threads: Int = 1

    @Option(help: "Repetitions (the median is reported).")
    var repetitions: Int = 50

    @Option(help: "1×1-convolution kernel: automatic (measured per process), blas or simd (our packed kernel).")
    var pointwise: String = "automatic"

    @Option(help: "Vector lanes of our SIMD kernels: automatic (measured per process), 8 or 16.")
    var lanes: String = "automatic"

    @Option(name: .customLong("multiply-add"), help: "automatic (fused when the build has FMA), fused or separate.")
    var multiplyAdd: String = "automatic"

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    struct Row: Codable {
        let name: String
        let kernel: String
        let milliseconds: Double
        let gflops: Double
        let multiplyAdds: Int
    }

    func run() throws {
        let builtIn = try BuiltInModel(rawValue: model).unwrap("unknown model \(model)")
        let loaded = try ModelCatalog.locate().load(builtIn)
        let sample = try BenchmarkInputs.preprocessedSample(for: loaded)
        let shape = loaded.network.graph.shape(of: loaded.network.graph.inputs[0]).withBatch(batch)
        let input = try Tensor(shape: shape, scalars: (0..<batch).flatMap { _ in sample })
        let network = try BenchmarkNetwork.plan(loaded, builtIn: builtIn, pointwise: pointwise, lanes: lanes, multiplyAdd: multiplyAdd)
        print(BenchmarkNetwork.summary)
        let workspace = network.makeWorkspace(maxBatch: batch)
        let timings = try network.profile(input, in: workspace, repetitions: repetitions, threads: threads)
        let total = timings.reduce(0) { $0 + $1.seconds }
        var table = TableFormatter(["step", "kernel", "ms", "%", "GFLOP/s"])
        var byKernel: [String: (seconds: Double, macs: Int)] = [:]
        for t in timings {
            table.add([t.name, t.kernel, format(t.seconds * 1e3, 3), format(100 * t.seconds / total, 1), format(t.gigaflops, 1)])
            byKernel[t.kernel, default: (0, 0)].seconds += t.seconds
            byKernel[t.kernel, default: (0, 0)].macs += t.multiplyAdds
        }
        print(table.text)
        // Whole runs right after, for what the step timings leave out (the time between steps,
        // and how the steps' slow runs add up).
        var wholeRuns: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            try network.run(input, in: workspace, threads: threads)
            wholeRuns.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let wholeMedian = wholeRuns.sorted()[wholeRuns.count / 2]
        print("\ntotal \(format(total * 1e3, 3)) ms (sum of step medians); whole runs: median \(format(wholeMedian * 1e3, 3)) ms; batch \(batch), \(threads) thread(s) per layer\n")
        var summary = TableFormatter(["kernel", "ms", "%", "GFLOP/s"])
        for (kernel, value) in byKernel.sorted(by: { $0.value.seconds > $1.value.seconds }) {
            summary.add([kernel, format(value.seconds * 1e3, 3), format(100 * value.seconds / total, 1), format(value.seconds > 0 ? 2 * Double(value.macs) / value.seconds / 1e9 : 0, 1)])
        }
        print(summary.text)
        if let json {
            try JSONOutput.write(timings.map { Row(name: $0.name, kernel: $0.kernel, milliseconds: $0.seconds * 1e3, gflops: $0.gigaflops, multiplyAdds: $0.multiplyAdds) }, to: json)
        }
    }
}
