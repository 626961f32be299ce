import FileSupport
/// Builds safetensors bytes from `Float` tensors, stored as F32, F16 or BF16.
///
/// The output follows the layout described on `SafeTensorsHeader`: header keys in insertion
/// order (after `__metadata__` when there is metadata), data in insertion order with no gaps,
/// and the header padded with spaces so that the data buffer starts at a multiple of 8 bytes
/// (as the reference writer does). Narrowing to F16/BF16 rounds to nearest even. Problems with
/// the added tensors (duplicate or reserved names, scalar counts that do not match the shape)
/// are reported by `bytes()` and `write(to:)`.
public struct SafeTensorsWriter: Sendable {
    /// Written as `__metadata__` when not empty.
    public var metadata: [String: String] = [:]

    private var entries: [(name: String, shape: [Int], scalars: [Float], dtype: WeightDType)] = []

    public init() {}

    /// Appends a tensor; `scalars` are row-major in `shape`.
    public mutating func add(_ name: String, shape: [Int], scalars: [Float], dtype: WeightDType = .f32) {
        entries.append((name, shape, scalars, dtype))
    }

    /// The complete file contents.
    public func bytes() throws(WeightsError) -> [UInt8] {
        var names: Set<String> = []
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let members = metadata.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)):\(Self.quoted($0.value))" }
            fields.append("\(Self.quoted(SafeTensorsHeader.metadataKey)):{\(members.joined(separator: ","))}")
        }
        var dataLength = 0
        for entry in entries {
            try Self.check(entry.name, shape: entry.shape, scalarCount: entry.scalars.count)
            guard names.insert(entry.name).inserted else {
                throw WeightsError(.duplicateTensor, tensor: entry.name, "tensor '\(entry.name)' was added twice; give each tensor a unique name")
            }
            let byteLength = entry.scalars.count * entry.dtype.byteSize
            let shapeText = entry.shape.map(String.init).joined(separator: ",")
            fields.append(
                "\(Self.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shapeText)],"
                    + "\"data_offsets\":[\(dataLength),\(dataLength + byteLength)]}")
            dataLength += byteLength
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        let lengthFieldSize = SafeTensorsHeader.lengthFieldSize
        while (lengthFieldSize + headerBytes.count) % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var output: [UInt8] = []
        output.reserveCapacity(lengthFieldSize + headerBytes.count + dataLength)
        Self.append(UInt64(headerBytes.count), to: &output)
        output += headerBytes
        for entry in entries {
            switch entry.dtype {
            case .f32:
                for value in entry.scalars { Self.append(value.bitPattern, to: &output) }
            case .f16:
                for value in entry.scalars { Self.append(HalfPrecision.f16Bits(from: value), to: &output) }
            case .bf16:
                for value in entry.scalars { Self.append(HalfPrecision.bf16Bits(from: value), to: &output) }
            }
        }
        return output
    }

    /// Writes `bytes()` to `path` through a temporary file in the same directory and an atomic
    /// rename, so readers (and mappings) never see a partial file.
    public func write(to path: String) throws(WeightsError) {
        let bytes = try bytes()
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw WeightsError(error, code: .fileUnwritable)
        }
    }

    private static func check(_ name: String, shape: [Int], scalarCount: Int) throws(WeightsError) {
        guard name != SafeTensorsHeader.metadataKey else {
            throw WeightsError(.reservedName, tensor: name, "'\(name)' is reserved for metadata by the safetensors format; rename the tensor")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw WeightsError(.invalidShape, tensor: name, "tensor '\(name)' has a negative dimension in shape \(shape); dimensions must be ≥ 0")
        }
        var elementCount = 1
        for dimension in shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw WeightsError(.invalidShape, tensor: name, "tensor '\(name)' has shape \(shape) whose element count overflows")
            }
            elementCount = product
        }
        guard elementCount == scalarCount else {
            throw WeightsError(
                .shapeMismatch, tensor: name,
                "tensor '\(name)' was given \(scalarCount) scalars but shape \(shape) holds \(elementCount); pass row-major scalars matching the shape")
        }
    }

    /// Appends `value` as little-endian bytes (shifts act on values, so this holds on any host).
    private static func append<Integer: FixedWidthInteger & UnsignedInteger>(_ value: Integer, to output: inout [UInt8]) {
        var remaining = value
        for _ in 0..<MemoryLayout<Integer>.size {
            output.append(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    /// A JSON string literal for `text`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
