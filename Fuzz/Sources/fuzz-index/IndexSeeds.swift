import Foundation
import VectorIndex

/// The seed corpus of `fuzz-index`: small files of each kind and metric, written by the
/// library's own `save(to:)`.
enum IndexSeeds {
    static func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dimension = 4
        let count = 12
        let ids = (0..<UInt64(count)).map { $0 * 3 + 1 }
        let vectors = (0..<count * dimension).map { Float(($0 * 37) % 11) * 0.5 - 2 }

        let flat = try FlatIndex(dimension: dimension, metric: .l2)
        try flat.add(ids: ids, vectors: vectors)
        try flat.save(to: directory.appendingPathComponent("flat-l2.colx"))
        try FlatIndex(dimension: 3, metric: .cosine).save(to: directory.appendingPathComponent("flat-empty.colx"))

        let ivf = try IVFIndex(dimension: dimension, metric: .innerProduct, configuration: .init(nlist: 3, nprobe: 2, trainingIterations: 4))
        try ivf.train(on: vectors)
        try ivf.add(ids: ids, vectors: vectors)
        try ivf.save(to: directory.appendingPathComponent("ivf-ip.colx"))
        let untrained = try IVFIndex(dimension: 2, metric: .l2, configuration: .init(nlist: 2))
        try untrained.save(to: directory.appendingPathComponent("ivf-untrained.colx"))

        let hnsw = try HNSWIndex(dimension: dimension, metric: .l2, configuration: .init(m: 2, efConstruction: 8, efSearch: 8))
        try hnsw.add(ids: ids, vectors: vectors)
        hnsw.remove(ids: [ids[2]])
        try hnsw.save(to: directory.appendingPathComponent("hnsw-l2.colx"))
        let cosine = try HNSWIndex(dimension: 2, metric: .cosine, configuration: .init(m: 2, efConstruction: 4, efSearch: 4))
        try cosine.add(ids: [7, 8, 9], vectors: [1, 0, 0, 1, 1, 1])
        try cosine.save(to: directory.appendingPathComponent("hnsw-cosine.colx"))
        try HNSWIndex(dimension: 3, metric: .innerProduct).save(to: directory.appendingPathComponent("hnsw-empty.colx"))
        // 64 slots and a threshold of 1 %: the harness's one removal compacts the loaded graph.
        // Mutations alone never grew a consistent graph that large.
        let compacting = try HNSWIndex(
            dimension: 2, metric: .l2, configuration: .init(m: 2, efConstruction: 4, efSearch: 4, compactionThreshold: 0.01))
        try compacting.add(ids: (0..<64).map { $0 * 5 + 2 }, vectors: (0..<128).map { Float(($0 * 29) % 17) - 8 })
        try compacting.save(to: directory.appendingPathComponent("hnsw-compacting.colx"))

        // Dimensions that run every part of the distance kernels (32- and 16-float steps, 8- or
        // 4-float steps, a scalar tail); mutations rarely resize a file's vectors consistently.
        let wide: [Float] = (0..<8 * 37).map { (i: Int) -> Float in Float((i * 13) % 19) * 0.25 - 2 }
        let flatWide = try FlatIndex(dimension: 37, metric: .innerProduct)
        try flatWide.add(ids: Array(100..<108), vectors: wide)
        try flatWide.save(to: directory.appendingPathComponent("flat-ip-d37.colx"))
        let ivfWide = try IVFIndex(dimension: 37, metric: .l2, configuration: .init(nlist: 2, nprobe: 2, trainingIterations: 3))
        try ivfWide.train(on: wide)
        try ivfWide.add(ids: Array(200..<208), vectors: wide)
        try ivfWide.save(to: directory.appendingPathComponent("ivf-l2-d37.colx"))
        let hnswWide = try HNSWIndex(dimension: 21, metric: .cosine, configuration: .init(m: 2, efConstruction: 4, efSearch: 4))
        try hnswWide.add(ids: Array(300..<308), vectors: Array(wide.prefix(8 * 21)))
        try hnswWide.save(to: directory.appendingPathComponent("hnsw-cosine-d21.colx"))
    }
}
