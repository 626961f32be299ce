import ArgumentParser
@_spi(Benchmarks) import CNN
import Dispatch
import Foundation
@_spi(Benchmarks) import Models

/// `inference`: forward-pass latency and throughput of a built-in model per batch size and thread
/// count, after warm-up: median / p90 / p99 latency, images/s, peak RSS.
///
/// Threads: with batch 1, `t` threads split each heavy layer (`Network.run(_:in:threads:)`) and
/// OpenBLAS's GEMMs between them; with batch > 1 the
/// batch is split into `t` shards run concurrently, each with its own workspace and OpenBLAS on
/// one thread (so threads × shards never exceed `t`).
struct InferenceBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference", abstract: "Forward-pass latency and throughput of a model.")

    @Option(help: "Model: \(BuiltInModel.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: String = BuiltInModel.efficientNetLite0.rawValue

    @Option(help: "Comma-separated batch sizes.")
    var batches: String = "1,8,32"

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Timed runs per configuration (at least this many, and at least --seconds).")
    var runs: Int = 30

    @Option(help: "Minimum timed seconds per configuration.")
    var seconds: Double = 2

    @Option(help: "Untimed warm-up runs per configuration.")
    var warmup: Int = 3

    @Option(help: "1×1-convolution kernel: automatic (measured per process), blas or simd (our packed kernel).")
    var pointwise: String = "automatic"

    @Option(help: "Vector lanes of our SIMD kernels: automatic (measured per process), 8 or 16.")
    var lanes: String = "automatic"

    @Option(name: .customLong("multiply-add"), help: "automatic (fused when the build has FMA), fused or separate.")
    var multiplyAdd: String = "automatic"

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Flag(help: """
        Serve timing requests instead (one batch size and thread count): after warm-up, read a \
        run count per line of standard input, time that many runs and print their median in \
        seconds, one line per request. `Benchmarks/peers/compare_inference.py --interleave` \
        alternates these with ONNX Runtime every fraction of a second, so that both see the \
        same state of a shared machine.
        """)
    var serve = false

    struct Result: Codable {
        let model: String
        let batch: Int
        let threads: Int
        let latency: Statistics
        let imagesPerSecond: Double
        let peakResidentBytes: Int
    }

    func run() throws {
        let builtIn = try BuiltInModel(rawValue: model).unwrap("unknown model \(model)")
        let loaded = try ModelCatalog.locate().load(builtIn)
        let network = try BenchmarkNetwork.plan(loaded, builtIn: builtIn, pointwise: pointwise, lanes: lanes, multiplyAdd: multiplyAdd)
        let sample = try BenchmarkInputs.preprocessedSample(for: loaded)
        print("model \(loaded.name): \(network.stepCount) steps, \(format(Double(network.multiplyAdds()) / 1e6, 1)) M multiply-adds per image")
        print(BenchmarkNetwork.summary)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset")\n")

        if serve { return try serveTimingRequests(network: network, sample: sample) }

        var table = TableFormatter(["batch", "threads", "median ms", "p90 ms", "p99 ms", "images/s", "GFLOP/s", "peak RSS MB"])
        var results: [Result] = []
        for batch in try parseList(batches) {
            for threadCount in try parseList(threads) {
                let runner = try ShardedRunner(network: network, sample: sample, batch: batch, threads: threadCount)
                for _ in 0..<warmup { try runner.run() }
                var samples: [Double] = []
                let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
                while samples.count < runs || DispatchTime.now().uptimeNanoseconds < deadline {
                    samples.append(try Measurement.seconds { try runner.run() })
                }
                let stats = Statistics(samples)
                let rate = Double(batch) / stats.median
                let gflops = 2 * Double(network.multiplyAdds(batch: batch)) / stats.median / 1e9
                results.append(Result(model: loaded.name, batch: batch, threads: threadCount, latency: stats, imagesPerSecond: rate, peakResidentBytes: Measurement.peakResidentBytes))
                table.add([
                    "\(batch)", "\(threadCount)", format(stats.median * 1e3, 3), format(stats.p90 * 1e3, 3), format(stats.p99 * 1e3, 3),
                    format(rate, 1), format(gflops, 1), format(Double(Measurement.peakResidentBytes) / 1e6, 1),
                ])
            }
        }
        print(table.text)
        if let json { try JSONOutput.write(results, to: json) }
    }
}

extension InferenceBenchmark {
    /// The `--serve` loop: a line "N" → N timed runs → one line with their median in seconds.
    /// Ends at end of input or on a line that is not a positive number.
    func serveTimingRequests(network: Network, sample: [Float]) throws {
        let (batchList, threadList) = (try parseList(batches), try parseList(threads))
        guard batchList.count == 1, threadList.count == 1 else {
            throw ValidationError("--serve takes one batch size and one thread count")
        }
        let runner = try ShardedRunner(network: network, sample: sample, batch: batchList[0], threads: threadList[0])
        for _ in 0..<warmup { try runner.run() }
        print("ready")
        fflush(nil)  // all streams: the driver waits for each line
        while let line = readLine(), let count = Int(line.trimmingCharacters(in: .whitespaces)), count > 0 {
            var samples: [Double] = []
            samples.reserveCapacity(count)
            for _ in 0..<count { samples.append(try Measurement.seconds { try runner.run() }) }
            print(Statistics(samples).median)
            fflush(nil)  // all streams: the driver waits for each line
        }
    }
}

/// Batch 1: one run whose layers and OpenBLAS calls split across `threads` threads. Batch > 1: the library's
/// `ParallelBatchRunner` with `threads` shards (OpenBLAS on one thread each).
final class ShardedRunner {
    let network: Network
    let input: Tensor
    let single: Workspace?
    let parallel: ParallelBatchRunner?
    /// Threads each layer of a single run splits across.
    let layerThreads: Int

    init(network: Network, sample: [Float], batch: Int, threads: Int) throws {
        self.network = network
        let inputShape = network.graph.shape(of: network.graph.inputs[0])
        input = try Tensor(shape: inputShape.withBatch(batch), scalars: (0..<batch).flatMap { _ in sample })
        layerThreads = batch == 1 ? threads : 1
        if batch == 1 || threads == 1 {
            single = network.makeWorkspace(maxBatch: batch)
            parallel = nil
        } else {
            single = nil
            parallel = ParallelBatchRunner(network: network, maxBatch: batch, shards: threads)
        }
    }

    func run() throws {
        if let single { try network.run(input, in: single, threads: layerThreads) } else { try parallel!.run(input) }
    }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let self else { throw ValidationError(message) }
        return self
    }
}

func parseList(_ text: String) throws -> [Int] {
    try text.split(separator: ",").map { try Int($0.trimmingCharacters(in: .whitespaces)).unwrap("not a number: \($0)") }
}

enum JSONOutput {
    static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: URL(fileURLWithPath: path))
        print("\nwrote \(path)")
    }
}
