/// A tensor of `Float` weights, row-major in `shape` (the order the exporter wrote), `count`
/// elements (the product of `shape`, 1 for a scalar `[]`).
///
/// Storage is either a view into a `SafeTensorsFile`'s bytes (F32 data, aligned: no copy; the
/// view keeps the file's mapping alive) or an owned array (converted F16/BF16 data, unaligned
/// F32 data, or scalars given to `init`). Immutable, hence `Sendable`.
public struct WeightTensor: Sendable {
    public let name: String
    public let shape: [Int]
    public let count: Int

    private enum Storage: Sendable {
        case owned([Float])
        case view(ByteRegion, byteOffset: Int)
    }

    private let storage: Storage

    /// A tensor owning `scalars`; `scalars.count` must equal the product of `shape`.
    public init(name: String, shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "WeightTensor '\(name)': negative dimension in \(shape)")
        let count = shape.reduce(1, *)
        precondition(count == scalars.count, "WeightTensor '\(name)': shape \(shape) holds \(count) elements, got \(scalars.count)")
        self.name = name
        self.shape = shape
        self.count = count
        self.storage = .owned(scalars)
    }

    init(name: String, shape: [Int], region: ByteRegion, byteOffset: Int) {
        self.name = name
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.storage = .view(region, byteOffset: byteOffset)
    }

    /// Calls `body` with the elements, in place (no copy, for either storage).
    public func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch storage {
        case .owned(let scalars):
            return try scalars.withUnsafeBufferPointer { buffer throws(Failure) in try body(buffer) }
        case .view(let region, let byteOffset):
            return try region.withFloats(at: byteOffset, count: count, body)
        }
    }

    /// A copy of the elements.
    public var scalars: [Float] {
        switch storage {
        case .owned(let scalars): scalars
        case .view: withUnsafeBufferPointer { Array($0) }
        }
    }

    /// Whether the elements are read in place from a file's bytes (not copied).
    public var isFileView: Bool {
        if case .view = storage { return true }
        return false
    }
}
