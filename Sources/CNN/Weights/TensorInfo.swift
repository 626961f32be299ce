/// One tensor entry of a validated safetensors header.
///
/// `byteRange` is in absolute file offsets: `8 + headerLength + data_offsets`. Its length is
/// `elementCount × dtype.byteSize`, and `elementCount` is the product of `shape` (1 for `[]`).
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: WeightDType
    public let shape: [Int]
    public let byteRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}
