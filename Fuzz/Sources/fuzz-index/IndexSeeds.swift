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
    }
}
