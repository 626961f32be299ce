import Foundation
@testable import VectorIndex

/// Seeded data sets for the index tests.
enum TestData {
    /// A Gaussian mixture: `clusters` centres uniform in [−1, 1]^d (drawn from `centreSeed`, so
    /// data and queries share them), points = a random centre + N(0, σ²) per component.
    static func clustered(count: Int, dimension: Int, clusters: Int, sigma: Float = 0.15, centreSeed: UInt64 = 1, seed: UInt64) -> [Float] {
        var centreRandom = SplitMix64(seed: centreSeed)
        let centres = (0..<clusters * dimension).map { _ in Float(centreRandom.nextUnit() * 2 - 1) }
        var random = SplitMix64(seed: seed)
        var out = [Float]()
        out.reserveCapacity(count * dimension)
        for _ in 0..<count {
            let c = Int(random.next() % UInt64(clusters))
            for d in 0..<dimension { out.append(centres[c * dimension + d] + sigma * gaussian(&random)) }
        }
        return out
    }

    /// Points uniform in [0, 1]^d.
    static func uniform(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count * dimension).map { _ in Float(random.nextUnit()) }
    }

    static func gaussian(_ random: inout SplitMix64) -> Float {
        let u = random.nextUnit()
        let v = random.nextUnit()
        return Float((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
    }

    /// Row `i` of a row-major array.
    static func row(_ data: [Float], _ i: Int, _ dimension: Int) -> [Float] {
        Array(data[i * dimension..<(i + 1) * dimension])
    }

    /// Exact k nearest ids by a brute-force scan in `Double`, independent of the index code.
    static func bruteForce(
        _ data: [Float], ids: [UInt64], query: [Float], dimension: Int, metric: Metric, k: Int,
        accepts: (UInt64) -> Bool = { _ in true }
    ) -> [(id: UInt64, distance: Double)] {
        let q = metric == .cosine ? normalised(query) : query.map(Double.init)
        var scored: [(id: UInt64, distance: Double)] = []
        for (i, id) in ids.enumerated() where accepts(id) {
            var x = (0..<dimension).map { Double(data[i * dimension + $0]) }
            if metric == .cosine { x = normalised(x.map(Float.init)) }
            let distance: Double
            switch metric {
            case .l2: distance = zip(x, q).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            case .innerProduct: distance = -zip(x, q).reduce(0) { $0 + $1.0 * $1.1 }
            case .cosine: distance = 1 - zip(x, q).reduce(0) { $0 + $1.0 * $1.1 }
            }
            scored.append((id, distance))
        }
        scored.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
        return Array(scored.prefix(k))
    }

    static func normalised(_ v: [Float]) -> [Double] {
        let x = v.map(Double.init)
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return x.map { $0 / norm }
    }

    /// Mean over queries of |approximate ∩ exact| / |exact|.
    static func recall(_ approximate: [[SearchResult]], _ exact: [[SearchResult]]) -> Double {
        var total = 0.0
        for (a, e) in zip(approximate, exact) {
            let truth = Set(e.map(\.id))
            total += Double(a.filter { truth.contains($0.id) }.count) / Double(max(truth.count, 1))
        }
        return total / Double(max(exact.count, 1))
    }
}
