import ArgumentParser
import Foundation
import VectorIndex

/// `colecionador-bench index`: builds Flat, IVF and HNSW indexes on a base set, then reports
/// build time, memory, recall@1/@10 and queries per second (one query at a time on one thread,
/// and batched on all cores; also per CPU-second of the searching thread) over a sweep of `ef` / `nprobe`.
/// `Benchmarks/peers/index_peers.py` runs FAISS and hnswlib on the same files.
struct IndexBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Benchmark the vector indexes: build time, memory, recall@1/@10, QPS.")

    @Option(help: "Base vectors: .npy (float32/float64, n × d) or .fvecs.")
    var base: String

    @Option(help: "Query vectors: .npy or .fvecs.")
    var queries: String

    @Option(help: "Ground-truth neighbour rows (.npy int32/int64 or .ivecs); computed exactly when omitted.")
    var groundtruth: String?

    @Option(help: "Comma-separated kinds: flat, ivf, hnsw.")
    var kind: String = "flat,ivf,hnsw"

    @Option(help: "Metric: l2, ip or cosine.")
    var metric: String = "l2"

    @Option(help: "HNSW links per node (M).")
    var m: Int = 16

    @Option(name: .customLong("ef-construction"), help: "HNSW efConstruction.")
    var efConstruction: Int = 200

    @Option(help: "Comma-separated HNSW efSearch values to sweep.")
    var ef: String = "16,32,64,128,256,512"

    @Option(help: "IVF lists (default √n).")
    var nlist: Int?

    @Option(help: "Comma-separated IVF nprobe values to sweep.")
    var nprobe: String = "1,5,10,20,50,100"

    @Option(help: "Use only the first N queries.")
    var limitQueries: Int?

    @Option(help: "Timed repetitions of each measurement; the median is reported.")
    var repeats: Int = 3

    @Option(help: "Also write the results as JSON to this file (read by index_peers.py).")
    var json: String?

    func run() throws {
        guard let metric = Metric.allCases.first(where: { $0.description == self.metric }) else {
            throw ValidationError("unknown metric \(self.metric); use l2, ip or cosine.")
        }
        let baseSet = try IndexBenchmarkData.floats(base)
        var querySet = try IndexBenchmarkData.floats(queries)
        guard baseSet.columns == querySet.columns else {
            throw ValidationError("base has dimension \(baseSet.columns), queries \(querySet.columns).")
        }
        if let limit = limitQueries, limit < querySet.rows {
            querySet = (limit, querySet.columns, Array(querySet.values.prefix(limit * querySet.columns)))
        }
        let dimension = baseSet.columns
        let n = baseSet.rows
        let ids = (0..<n).map { UInt64($0) }
        let queryRows = (0..<querySet.rows).map { Array(querySet.values[$0 * dimension..<($0 + 1) * dimension]) }
        print("base \(n) × \(dimension), queries \(querySet.rows), metric \(metric), cores \(ProcessInfo.processInfo.activeProcessorCount)")

        let truth: [[Int]]
        if let groundtruth {
            let g = try IndexBenchmarkData.integers(groundtruth)
            guard g.rows >= querySet.rows, g.columns >= 10 else {
                throw ValidationError("ground truth has \(g.rows) rows of \(g.columns); need ≥ \(querySet.rows) rows of ≥ 10.")
            }
            truth = (0..<querySet.rows).map { Array(g.values[$0 * g.columns..<$0 * g.columns + 10]) }
        } else {
            let flat = try FlatIndex(dimension: dimension, metric: metric)
            try flat.add(ids: ids, vectors: baseSet.values)
            truth = try flat.search(batch: querySet.values, parameters: SearchParameters(k: 10)).map { $0.map { Int($0.id) } }
        }

        var records: [IndexBenchmarkRecord] = []
        let kinds = kind.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for kind in kinds {
            let rssBefore = IndexBenchmarkData.residentBytes()
            let start = DispatchTime.now()
            let index: any VectorIndex
            var sweep: [(label: String, parameters: SearchParameters)]
            switch kind {
            case "flat":
                let flat = try FlatIndex(dimension: dimension, metric: metric)
                try flat.add(ids: ids, vectors: baseSet.values)
                index = flat
                sweep = [("exact", SearchParameters(k: 10))]
            case "ivf":
                let lists = nlist ?? max(1, Int(Double(n).squareRoot()))
                let ivf = try IVFIndex(dimension: dimension, metric: metric, configuration: .init(nlist: lists))
                try ivf.train(on: baseSet.values)
                try ivf.add(ids: ids, vectors: baseSet.values)
                index = ivf
                sweep = try Self.integers(nprobe).filter { $0 <= lists }.map { ("nlist=\(lists) nprobe=\($0)", SearchParameters(k: 10, nprobe: $0)) }
            case "hnsw":
                let hnsw = try HNSWIndex(
                    dimension: dimension, metric: metric, configuration: .init(m: m, efConstruction: efConstruction))
                try hnsw.add(ids: ids, vectors: baseSet.values)
                index = hnsw
                sweep = try Self.integers(ef).map { ("M=\(m) efC=\(efConstruction) ef=\($0)", SearchParameters(k: 10, ef: $0)) }
            default:
                throw ValidationError("unknown kind \(kind); use flat, ivf or hnsw.")
            }
            let buildSeconds = Self.seconds(since: start)
            let rss = IndexBenchmarkData.residentBytes() - rssBefore
            print(String(format: "%@: build %.2f s, storage %.1f MB (%.0f B/vector), RSS +%.1f MB", kind, buildSeconds,
                         Double(index.storageBytes) / 1e6, Double(index.storageBytes) / Double(n), Double(rss) / 1e6))
            print("  parameters                          R@1     R@10    QPS 1 thread   QPS batched  QPS/CPU-s 1 thread")
            for (label, parameters) in sweep {
                var single: [[SearchResult]] = []
                for q in queryRows.prefix(min(100, queryRows.count)) { _ = try index.search(q, parameters: parameters) }
                var singleTimes: [Double] = []
                var singleCPUTimes: [Double] = []
                var batchTimes: [Double] = []
                for _ in 0..<max(1, repeats) {
                    let t0 = DispatchTime.now()
                    let c0 = Self.threadCPUSeconds()
                    single = try queryRows.map { try index.search($0, parameters: parameters) }
                    singleCPUTimes.append(Self.threadCPUSeconds() - c0)
                    singleTimes.append(Self.seconds(since: t0))
                    let t1 = DispatchTime.now()
                    let batch = try index.search(batch: querySet.values, parameters: parameters)
                    batchTimes.append(Self.seconds(since: t1))
                    precondition(batch.count == queryRows.count)
                }
                let (r1, r10) = Self.recall(single, truth)
                let qps1 = Double(queryRows.count) / Self.median(singleTimes)
                let qps1CPU = Double(queryRows.count) / Self.median(singleCPUTimes)
                let qpsBatch = Double(queryRows.count) / Self.median(batchTimes)
                print(String(format: "  %-34@ %.4f  %.4f  %12.0f  %12.0f  %12.0f", label as NSString, r1, r10, qps1, qpsBatch, qps1CPU))
                records.append(IndexBenchmarkRecord(
                    kind: kind, parameters: label, buildSeconds: buildSeconds, storageBytes: index.storageBytes,
                    residentBytes: rss, recallAt1: r1, recallAt10: r10, qpsSingleThread: qps1, qpsBatched: qpsBatch,
                    qpsSingleThreadCPU: qps1CPU))
            }
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(records).write(to: URL(fileURLWithPath: json))
        }
    }

    static func integers(_ list: String) throws -> [Int] {
        try list.split(separator: ",").map {
            guard let value = Int($0.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw ValidationError("'\(list)' must be a comma-separated list of positive integers.")
            }
            return value
        }
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// CPU time consumed by the calling thread: on a machine shared with other jobs, queries per
    /// CPU-second of the searching thread are steadier than queries per wall-clock second.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// recall@1: top result equals the true nearest; recall@10: |top-10 ∩ true top-10| / 10.
    static func recall(_ results: [[SearchResult]], _ truth: [[Int]]) -> (Double, Double) {
        var at1 = 0.0
        var at10 = 0.0
        for (found, exact) in zip(results, truth) {
            if let first = found.first, Int(first.id) == exact[0] { at1 += 1 }
            let expected = Set(exact.prefix(10))
            at10 += Double(found.prefix(10).filter { expected.contains(Int($0.id)) }.count) / 10
        }
        return (at1 / Double(truth.count), at10 / Double(truth.count))
    }
}

/// One line of the benchmark's JSON output.
struct IndexBenchmarkRecord: Codable {
    let kind: String
    let parameters: String
    let buildSeconds: Double
    let storageBytes: Int
    let residentBytes: Int
    let recallAt1: Double
    let recallAt10: Double
    let qpsSingleThread: Double
    let qpsBatched: Double
    /// Single-thread queries per CPU-second of the searching thread.
    let qpsSingleThreadCPU: Double
}
