/// How an index measures closeness. Every index reports a *distance*: smaller is closer.
///
/// - `l2`: squared Euclidean distance `Σ (xᵢ − qᵢ)²` (no square root, like FAISS and hnswlib).
/// - `innerProduct`: `−Σ xᵢ·qᵢ`, so that the largest inner product is the smallest distance.
/// - `cosine`: `1 − Σ x̂ᵢ·q̂ᵢ` where `x̂ = x / ‖x‖`. Stored vectors are normalised once, at insert,
///   and each query once per search; a zero vector cannot be normalised and is rejected.
public enum Metric: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case l2 = 1
    case innerProduct = 2
    case cosine = 3

    public var description: String {
        switch self {
        case .l2: "l2"
        case .innerProduct: "ip"
        case .cosine: "cosine"
        }
    }

    /// Whether stored vectors and queries are scaled to unit length before use.
    var normalises: Bool { self == .cosine }

    /// The kernel that computes this metric's distance on the validated (possibly normalised) vectors.
    var kernel: DistanceKernel { self == .l2 ? .l2 : .negatedDot }

    /// Maps a kernel value to the distance reported to callers: cosine distance is `1 − dot`,
    /// clamped at 0 (two unit vectors' float dot product can exceed 1 by a rounding error, and a
    /// caller sorting or thresholding distances should never see one below 0).
    @inline(__always)
    func reported(_ kernelValue: Float) -> Float {
        self == .cosine ? max(0, 1 + kernelValue) : kernelValue
    }
}
