import Crypto

/// Splits traffic between model versions by weight.
///
/// A request with a client key goes to the version whose cumulative share interval holds
/// `u = first 8 bytes of SHA-256(key), big-endian / 2⁶⁴` — the same key always lands on the same
/// version while the weights stay the same (sticky), and keys spread uniformly. Without a key,
/// `u` is drawn uniformly at random. Versions with weight 0 get no routed traffic (they can
/// still be asked for explicitly).
public struct ABRouter: Sendable {
    /// `(version id, weight)` in configuration order.
    public let weights: [(id: String, weight: Double)]
    private let total: Double

    public init(weights: [(String, Double)]) throws(ClassifierRegistryError) {
        guard !weights.isEmpty else { throw ClassifierRegistryError("The router needs at least one model version.") }
        guard weights.allSatisfy({ $0.1 >= 0 && $0.1.isFinite }) else {
            throw ClassifierRegistryError("Traffic weights must be finite and non-negative; got \(weights.map(\.1)).")
        }
        let total = weights.reduce(0) { $0 + $1.1 }
        guard total > 0 else { throw ClassifierRegistryError("At least one model version needs a positive traffic weight.") }
        self.weights = weights.map { (id: $0.0, weight: $0.1) }
        self.total = total
    }

    /// The version id for `clientKey` (sticky), or a random one when `clientKey` is nil or empty.
    public func route(clientKey: String?) -> String {
        let u: Double
        if let clientKey, !clientKey.isEmpty {
            u = Self.unitInterval(for: clientKey)
        } else {
            u = Double.random(in: 0..<1)
        }
        return version(at: u)
    }

    /// The version whose cumulative interval holds `u` in `[0, 1)`.
    public func version(at u: Double) -> String {
        var cumulative = 0.0
        for entry in weights where entry.weight > 0 {
            cumulative += entry.weight / total
            if u < cumulative { return entry.id }
        }
        return weights.last(where: { $0.weight > 0 })!.id
    }

    /// `u = first 8 bytes of SHA-256(key)` as a big-endian integer divided by 2⁶⁴.
    static func unitInterval(for key: String) -> Double {
        let digest = Array(SHA256.hash(data: Array(key.utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(value >> 11) / Double(UInt64(1) << 53)
    }
}
