/// The element types Colecionador reads from safetensors files. Every one is upcast to `Float`.
///
/// Raw values are the dtype strings of the safetensors header. Other safetensors dtypes
/// (`F64`, `I64`, `U8`, `F8_E4M3`, …) are rejected with `WeightsError.Code.unsupportedDType`.
public enum WeightDType: String, Sendable, CaseIterable {
    /// IEEE 754 binary32, little-endian.
    case f32 = "F32"
    /// IEEE 754 binary16, little-endian.
    case f16 = "F16"
    /// bfloat16: the upper 16 bits of a binary32, little-endian.
    case bf16 = "BF16"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        }
    }
}
