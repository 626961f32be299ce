/// The `Float` values of a kernel's large prepared parameter (convolution weights, packed GEMM
/// panels, dense weights): either an array the kernel owns, or a view into a read-only file
/// mapping shared by every process that maps the same file (`PreparedParameterFile`), which the
/// view keeps alive.
///
/// Kernels read it only through `withUnsafeBufferPointer`/`withUnsafeBytes`, once per run: a
/// mapped view costs the same as an array. Immutable, hence `Sendable`.
struct ParameterStorage: Sendable {
    private enum Backing: Sendable {
        case owned([Float])
        case mapped(WeightTensor)
    }

    private var backing: Backing
    /// Number of `Float`s.
    let count: Int

    /// Owns `values`.
    init(_ values: [Float]) {
        backing = .owned(values)
        count = values.count
    }

    /// Views `tensor`'s elements in place (a file view: no copy; it keeps the mapping alive).
    init(viewing tensor: WeightTensor) {
        backing = .mapped(tensor)
        count = tensor.count
    }

    static let empty = ParameterStorage([])

    /// Whether the values live in a shared file mapping rather than in private memory.
    var isShared: Bool {
        if case .mapped(let tensor) = backing { return tensor.isFileView }
        return false
    }

    /// Calls `body` with the values, in place.
    @inline(__always)
    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Float>) -> Result) -> Result {
        switch backing {
        case .owned(let values): values.withUnsafeBufferPointer(body)
        case .mapped(let tensor): tensor.withUnsafeBufferPointer(body)
        }
    }

    /// Calls `body` with the values' bytes, in place.
    @inline(__always)
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeBufferPointer { body(UnsafeRawBufferPointer($0)) }
    }

    /// The values as an array this storage gives up (no copy when it owned them), leaving it
    /// empty: planning transforms weights in place this way (BatchNorm folding).
    mutating func takeArray() -> [Float] {
        let values: [Float]
        switch backing {
        case .owned(let owned): values = owned
        case .mapped(let tensor): values = tensor.scalars
        }
        self = .empty
        return values
    }
}
