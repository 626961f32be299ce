import ArgumentParser
@_spi(Benchmarks) import CNN
import Crypto
import Dispatch
import Foundation
import Imaging
@_spi(Benchmarks) import Models
import VectorIndex

/// `pipeline`: the stages of one classification request, each timed — read, validate + SHA-256,
/// decode (DCT-scaled for JPEG), resize/normalise, forward pass, embedding, search of a
/// 100,000-item collection, JSON encoding — for a large JPEG and a PNG; per-stage medians and
/// total p50/p99. Inputs: `Benchmarks/peers/make_pipeline_inputs.py`.
struct PipelineBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pipeline", abstract: "Time every stage of one request.")

    @Option(help: "Comma-separated image files.")
    var inputs: String = "Benchmarks/data/pipeline_12mp.jpg,Benchmarks/data/pipeline_2mp.png"

    @Option(help: "Items in the collection searched for similar items.")
    var items: Int = 100_000

    @Option(help: "Timed requests per input.")
    var runs: Int = 50

    @Option(help: "Threads the forward pass splits its layers across (the service gives a request alone on the machine every core).")
    var threads: Int = 1

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    struct Response: Encodable {
        let label: String
        let confidence: Float
        let topK: [String]
        let similar: [UInt64]
        let distances: [Float]
    }

    struct Result: Codable {
        let input: String
        let bytes: Int
        let stagesMilliseconds: [String: Double]
        let total: Statistics
        let forwardThreads: Int
    }

    static let stages = ["read", "validate+sha256", "decode", "preprocess", "forward", "embedding", "search", "encode"]

    func run() throws {
        let model = try ModelCatalog.locate().load(.efficientNetLite0)
        let index = try CollectionIndex.load(dimension: model.embeddingDimension, count: items)
        let workspace = model.network.makeWorkspace(maxBatch: 1)
        let encoder = JSONEncoder()
        var results: [Result] = []
        var table = TableFormatter(["input", "MB"] + Self.stages + ["total p50", "total p99"])
        for path in inputs.split(separator: ",").map(String.init) {
            var samples = [String: [Double]]()
            var totals: [Double] = []
            var byteCount = 0
            for iteration in 0..<(runs + 3) {
                var times = [Double](repeating: 0, count: Self.stages.count)
                var clock = DispatchTime.now().uptimeNanoseconds
                func lap(_ stage: Int) {
                    let now = DispatchTime.now().uptimeNanoseconds
                    times[stage] = Double(now - clock) / 1e6
                    clock = now
                }
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                byteCount = bytes.count
                lap(0)
                guard ImageFormat(sniffing: bytes) != nil, bytes.count <= DecodingLimits.default.maxInputBytes else {
                    throw BenchmarkError("\(path) is not a JPEG/PNG within the limits")
                }
                let digest = SHA256.hash(data: bytes)
                Measurement.blackHole(digest)
                lap(1)
                let image = try Image(decoding: bytes, minimumShortSide: model.preprocessing.resizeShortSide)
                lap(2)
                let input = try Tensor(shape: Shape(height: model.preprocessing.cropSize, width: model.preprocessing.cropSize, channels: 3), scalars: model.preprocessing.tensor(for: image))
                lap(3)
                try model.network.run(input, in: workspace, threads: threads)
                let probabilities = try workspace.output(ImageModel.OutputName.probabilities).scalars
                lap(4)
                var embedding = try workspace.output(model.embeddingOutput).scalars
                let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for i in embedding.indices { embedding[i] /= max(norm, 1e-12) }
                lap(5)
                let similar = try index.search(embedding, parameters: SearchParameters(k: 5, ef: 64))
                lap(6)
                let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
                let top = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5).map { model.labels[$0] }
                let response = Response(label: model.labels[best], confidence: probabilities[best], topK: top, similar: similar.map(\.id), distances: similar.map(\.distance))
                Measurement.blackHole(try encoder.encode(response))
                lap(7)
                guard iteration >= 3 else { continue }
                for (stage, name) in Self.stages.enumerated() { samples[name, default: []].append(times[stage]) }
                totals.append(times.reduce(0, +) / 1e3)
            }
            let medians = samples.mapValues { Statistics($0).median }
            let total = Statistics(totals)
            results.append(Result(input: path, bytes: byteCount, stagesMilliseconds: medians, total: total, forwardThreads: threads))
            table.add([(path as NSString).lastPathComponent, format(Double(byteCount) / 1e6, 2)]
                + Self.stages.map { format(medians[$0]!, 2) } + [format(total.median * 1e3, 2), format(total.p99 * 1e3, 2)])
        }
        print("per-stage medians in ms; collection of \(items) items (HNSW, cosine, M 16); forward pass on \(threads) thread(s)\n")
        print(table.text)
        if let json { try JSONOutput.write(results, to: json) }
    }
}

/// The collection searched by the pipeline: `count` seeded random unit vectors in an HNSW index,
/// built once and kept in `Benchmarks/data/` (git-ignored).
enum CollectionIndex {
    static func load(dimension: Int, count: Int) throws -> HNSWIndex {
        let url = URL(fileURLWithPath: "Benchmarks/data/pipeline_collection_\(count)x\(dimension).index")
        if let index = try? HNSWIndex.load(from: url), index.count == count { return index }
        print("building the \(count)-item collection index (once) …")
        let index = try HNSWIndex(dimension: dimension, metric: .cosine, configuration: .init(m: 16, efConstruction: 100))
        var state: UInt64 = 0x1234_5678
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        let chunk = 10_000
        var start = 0
        while start < count {
            let size = min(chunk, count - start)
            let vectors = (0..<(size * dimension)).map { _ in next() }
            try index.add(ids: (start..<(start + size)).map { UInt64($0) }, vectors: vectors)
            start += size
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try index.save(to: url)
        return index
    }
}
