/// k-means clustering for the IVF coarse quantiser: centres seeded at distinct random points
/// (as FAISS does), then Lloyd iterations, all under squared L2. Assignment computes
/// `‖c‖² − 2·x·c` with `cblas_sgemm` in blocks; a cluster left empty takes half of the largest
/// cluster (its centroid copied and nudged by a relative 1e-4, as FAISS does).
enum KMeans {
    /// Returns `k × dimension` centroids for the `n` row-major points in `points` (`n ≥ k`).
    static func train(points: [Float], dimension: Int, k: Int, iterations: Int, seed: UInt64) -> [Float] {
        let n = points.count / dimension
        precondition(n >= k && k >= 1)
        var random = SplitMix64(seed: seed)
        var centroids = seedRandom(points, n: n, dimension: dimension, k: k, random: &random)
        var assignment = [Int](repeating: 0, count: n)
        for _ in 0..<iterations {
            assign(points, n: n, centroids: centroids, k: k, dimension: dimension, into: &assignment)
            var sums = [Double](repeating: 0, count: k * dimension)
            var sizes = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let c = assignment[i]
                sizes[c] += 1
                for d in 0..<dimension { sums[c * dimension + d] += Double(points[i * dimension + d]) }
            }
            for c in 0..<k where sizes[c] > 0 {
                for d in 0..<dimension { centroids[c * dimension + d] = Float(sums[c * dimension + d] / Double(sizes[c])) }
            }
            for c in 0..<k where sizes[c] == 0 {
                let largest = sizes.indices.max { sizes[$0] < sizes[$1] }!
                for d in 0..<dimension {
                    let value = centroids[largest * dimension + d]
                    let nudge = Float(1e-4) * (abs(value) + 1e-6)
                    let sign: Float = d % 2 == 0 ? 1 : -1
                    centroids[c * dimension + d] = value + sign * nudge
                    centroids[largest * dimension + d] = value - sign * nudge
                }
                sizes[c] = sizes[largest] / 2
                sizes[largest] -= sizes[c]
            }
        }
        return centroids
    }

    /// `k` distinct points drawn uniformly (partial Fisher–Yates), FAISS's initialisation: cheap,
    /// and on clustered data it puts centres where the points are dense.
    private static func seedRandom(_ points: [Float], n: Int, dimension: Int, k: Int, random: inout SplitMix64) -> [Float] {
        var order = Array(0..<n)
        var centroids = [Float]()
        centroids.reserveCapacity(k * dimension)
        for i in 0..<k {
            order.swapAt(i, i + Int(random.next() % UInt64(n - i)))
            centroids.append(contentsOf: points[order[i] * dimension..<(order[i] + 1) * dimension])
        }
        return centroids
    }

    /// Nearest centroid (squared L2) of every point, by blocks of `cblas_sgemm`.
    static func assign(_ points: [Float], n: Int, centroids: [Float], k: Int, dimension: Int, into assignment: inout [Int]) {
        var centroidNorms = [Float](repeating: 0, count: k)
        centroids.withUnsafeBufferPointer { c in
            centroidNorms.withUnsafeMutableBufferPointer { squaredNorms(c.baseAddress!, rows: k, dimension: dimension, into: $0.baseAddress!) }
        }
        let block = max(1, min(n, (1 << 22) / k))
        var products = [Float](repeating: 0, count: block * k)
        points.withUnsafeBufferPointer { p in
            centroids.withUnsafeBufferPointer { c in
                for start in stride(from: 0, to: n, by: block) {
                    let rows = min(block, n - start)
                    products.withUnsafeMutableBufferPointer { out in
                        innerProducts(queries: p.baseAddress! + start * dimension, count: rows, base: c.baseAddress!, rows: k, dimension: dimension, into: out.baseAddress!)
                    }
                    for r in 0..<rows {
                        var best = 0
                        var bestDistance = Float.infinity
                        for j in 0..<k {
                            let d = centroidNorms[j] - 2 * products[r * k + j]
                            if d < bestDistance {
                                bestDistance = d
                                best = j
                            }
                        }
                        assignment[start + r] = best
                    }
                }
            }
        }
    }
}
