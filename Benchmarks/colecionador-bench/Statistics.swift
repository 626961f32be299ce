/// Order statistics of repeated timings, in seconds.
struct Statistics: Codable, Sendable {
    let count: Int
    let min: Double
    let median: Double
    let p90: Double
    let p99: Double
    let max: Double

    init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        func quantile(_ q: Double) -> Double {
            sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
        }
        count = sorted.count
        min = sorted[0]
        median = quantile(0.5)
        p90 = quantile(0.9)
        p99 = quantile(0.99)
        max = sorted[sorted.count - 1]
    }
}
