/// A failure to read, validate, consume or write safetensors weights.
///
/// `code` is stable and meant for programs; `message` is for people: it says what was expected,
/// what was found, and what to do next. `tensor` names the tensor involved, when there is one.
public struct WeightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public enum Code: String, Sendable {
        /// The file could not be opened, inspected or mapped.
        case fileUnreadable
        /// The file (or its temporary sibling) could not be written or renamed into place.
        case fileUnwritable
        /// The 8-byte header length exceeds the file or the 100 MB limit.
        case headerLengthOutOfBounds
        /// The header is not a JSON object of well-formed tensor entries.
        case malformedHeader
        /// A tensor name occurs twice (in a header, or in a writer).
        case duplicateTensor
        /// A name that the format reserves (`__metadata__`) was used for a tensor.
        case reservedName
        /// The dtype is valid safetensors but not F32, F16 or BF16.
        case unsupportedDType
        /// A dimension is negative, or the element count overflows.
        case invalidShape
        /// `data_offsets` is not `[begin, end]` with `0 ≤ begin ≤ end`.
        case invalidDataOffsets
        /// `end − begin` differs from element count × dtype size.
        case byteLengthMismatch
        /// A tensor's bytes lie outside the data buffer, in a way truncation does not explain.
        case dataOffsetsOutOfBounds
        /// Two tensors share bytes.
        case overlappingData
        /// Bytes of the data buffer belong to no tensor (a gap, or trailing bytes).
        case unindexedBytes
        /// The file ends before the bytes its header describes.
        case truncatedFile
        /// A tensor that was asked for is not in the file.
        case missingTensor
        /// Tensors in the file (under the reader's prefix) were never taken.
        case unusedTensors
        /// A tensor's shape differs from the one expected (or from the scalars given to a writer).
        case shapeMismatch
        /// A tensor's dtype differs from the one required.
        case dtypeMismatch
        /// A weight holds NaN or infinity.
        case nonFiniteValues
    }

    public let code: Code
    /// The tensor's name when one is involved.
    public let tensor: String?
    /// What was expected, what was found, and what to do.
    public let message: String

    public init(_ code: Code, tensor: String? = nil, _ message: String) {
        self.code = code
        self.tensor = tensor
        self.message = message
    }

    public var description: String { "weights error (\(code.rawValue)): \(message)" }

    /// The same error with the file it came from named at the start of its message.
    func located(in path: String) -> WeightsError {
        WeightsError(code, tensor: tensor, "'\(path)': \(message)")
    }
}
