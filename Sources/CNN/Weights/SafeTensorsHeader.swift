/// The validated header of a safetensors file.
///
/// Layout of the file: bytes `0..<8` hold `N`, the header length, as a little-endian `UInt64`;
/// bytes `8..<8+N` hold a UTF-8 JSON object mapping each tensor name to
/// `{"dtype": String, "shape": [Int], "data_offsets": [begin, end]}`, plus an optional
/// `"__metadata__": {String: String}`; the data buffer starts at `8+N` and the offsets are
/// relative to it. Unknown keys inside a tensor entry are ignored, as the reference
/// implementation does.
///
/// Validation is total: the tensors must tile the data buffer exactly (no overlap, no gap, no
/// trailing byte), each with `end − begin = elementCount × dtype.byteSize`.
struct SafeTensorsHeader {
    /// Headers longer than this are refused before anything is read (the reference limit).
    static let maximumLength = 100_000_000
    static let lengthFieldSize = 8
    static let metadataKey = "__metadata__"

    let metadata: [String: String]
    /// Sorted by `byteRange` (file order), with absolute offsets.
    let tensors: [TensorInfo]

    /// Checks the 8-byte length field of a file of `fileSize` bytes; returns the header length.
    static func headerLength(field: UInt64, fileSize: Int) throws(WeightsError) -> Int {
        let available = fileSize - lengthFieldSize
        guard field <= UInt64(maximumLength), Int(field) <= available else {
            let limit = field > UInt64(maximumLength) ? "the \(maximumLength)-byte limit" : "the \(available) bytes after the length field"
            throw WeightsError(
                .headerLengthOutOfBounds,
                "the header length field says \(field) bytes, more than \(limit); "
                    + "the file is truncated, corrupt, or not a safetensors file — re-export or re-download it")
        }
        return Int(field)
    }

    /// Parses and validates header JSON `json` for a data buffer of `dataLength` bytes starting
    /// at absolute offset `dataStart`.
    init(json: [UInt8], dataStart: Int, dataLength: Int) throws(WeightsError) {
        guard case .object(let members) = try HeaderJSONParser.parse(json) else {
            throw WeightsError(
                .malformedHeader,
                "the header is JSON but not an object of tensor entries; the file is not a safetensors file")
        }
        var metadata: [String: String]?
        var entries: [(name: String, dtype: WeightDType, shape: [Int], offsets: Range<Int>)] = []
        var seen: Set<String> = []
        for (key, value) in members {
            guard seen.insert(key).inserted else {
                throw WeightsError(
                    .duplicateTensor, tensor: key == Self.metadataKey ? nil : key,
                    "the header lists '\(key)' twice; the file is corrupt — re-export it")
            }
            if key == Self.metadataKey {
                metadata = try Self.parseMetadata(value)
            } else {
                let entry = try Self.parseEntry(name: key, value)
                entries.append((key, entry.dtype, entry.shape, entry.offsets))
            }
        }
        entries.sort { ($0.offsets.lowerBound, $0.offsets.upperBound, $0.name) < ($1.offsets.lowerBound, $1.offsets.upperBound, $1.name) }
        try Self.checkLayout(entries.map { ($0.name, $0.offsets) }, dataLength: dataLength)
        self.metadata = metadata ?? [:]
        self.tensors = entries.map { entry in
            TensorInfo(
                name: entry.name, dtype: entry.dtype, shape: entry.shape,
                byteRange: (dataStart + entry.offsets.lowerBound)..<(dataStart + entry.offsets.upperBound))
        }
    }

    private static func parseMetadata(_ value: HeaderJSON) throws(WeightsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw WeightsError(
                .malformedHeader,
                "\"__metadata__\" is \(value.kindName), expected an object of strings; the file is corrupt — re-export it")
        }
        var metadata: [String: String] = [:]
        for (key, item) in members {
            guard case .string(let text) = item else {
                throw WeightsError(
                    .malformedHeader,
                    "\"__metadata__\" entry '\(key)' is \(item.kindName), expected a string; the file is corrupt — re-export it")
            }
            guard metadata.updateValue(text, forKey: key) == nil else {
                throw WeightsError(.malformedHeader, "\"__metadata__\" lists '\(key)' twice; the file is corrupt — re-export it")
            }
        }
        return metadata
    }

    private static func parseEntry(
        name: String, _ value: HeaderJSON
    ) throws(WeightsError) -> (dtype: WeightDType, shape: [Int], offsets: Range<Int>) {
        func malformed(_ problem: String) -> WeightsError {
            WeightsError(
                .malformedHeader, tensor: name,
                "tensor '\(name)': \(problem); expected {\"dtype\": String, \"shape\": [Int], \"data_offsets\": [Int, Int]} "
                    + "— the file is corrupt, re-export it")
        }
        guard case .object(let fields) = value else { throw malformed("its entry is \(value.kindName)") }
        func field(_ key: String) throws(WeightsError) -> HeaderJSON {
            guard let found = fields.first(where: { $0.key == key }) else { throw malformed("the entry has no \"\(key)\"") }
            guard fields.lastIndex(where: { $0.key == key }) == fields.firstIndex(where: { $0.key == key }) else {
                throw malformed("the entry lists \"\(key)\" twice")
            }
            return found.value
        }

        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else {
            throw malformed("\"dtype\" is \(dtypeValue.kindName), not a string")
        }
        guard let dtype = WeightDType(rawValue: dtypeName) else {
            throw WeightsError(
                .unsupportedDType, tensor: name,
                "tensor '\(name)' has dtype \(dtypeName); only F32, F16 and BF16 weights are supported — "
                    + "cast the tensor to float32 (or float16/bfloat16) before exporting")
        }

        let shapeValue = try field("shape")
        guard case .array(let dimensionValues) = shapeValue else {
            throw malformed("\"shape\" is \(shapeValue.kindName), not an array")
        }
        var shape: [Int] = []
        var elementCount = 1
        for (axis, dimensionValue) in dimensionValues.enumerated() {
            switch dimensionValue.integer {
            case .value(let dimension):
                shape.append(dimension)
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw WeightsError(
                        .invalidShape, tensor: name,
                        "tensor '\(name)' has shape [\(dimensionValues.map(Self.literal).joined(separator: ", "))] "
                            + "whose element count overflows; the file is corrupt — re-export it")
                }
                elementCount = product
            case .negative:
                throw WeightsError(
                    .invalidShape, tensor: name,
                    "tensor '\(name)' has a negative dimension \(Self.literal(dimensionValue)) on axis \(axis); the file is corrupt — re-export it")
            case .tooLarge:
                throw WeightsError(
                    .invalidShape, tensor: name,
                    "tensor '\(name)' has dimension \(Self.literal(dimensionValue)) on axis \(axis), too large for this machine; the file is corrupt — re-export it")
            case .notInteger:
                throw malformed("\"shape\" holds \(Self.literal(dimensionValue)) on axis \(axis), not an integer")
            }
        }

        let offsetsValue = try field("data_offsets")
        guard case .array(let offsetValues) = offsetsValue else {
            throw malformed("\"data_offsets\" is \(offsetsValue.kindName), not an array")
        }
        guard offsetValues.count == 2 else { throw malformed("\"data_offsets\" has \(offsetValues.count) elements, not 2") }
        var offsets: [Int] = []
        for offsetValue in offsetValues {
            switch offsetValue.integer {
            case .value(let offset):
                offsets.append(offset)
            case .negative:
                throw WeightsError(
                    .invalidDataOffsets, tensor: name,
                    "tensor '\(name)' has a negative data offset \(Self.literal(offsetValue)); the file is corrupt — re-export it")
            case .tooLarge:
                throw WeightsError(
                    .dataOffsetsOutOfBounds, tensor: name,
                    "tensor '\(name)' has data offset \(Self.literal(offsetValue)), beyond any file size; the file is corrupt — re-export it")
            case .notInteger:
                throw malformed("\"data_offsets\" holds \(Self.literal(offsetValue)), not an integer")
            }
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw WeightsError(
                .invalidDataOffsets, tensor: name,
                "tensor '\(name)' has data_offsets [\(begin), \(end)] with end before begin; the file is corrupt — re-export it")
        }
        let (expectedLength, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, expectedLength == end - begin else {
            throw WeightsError(
                .byteLengthMismatch, tensor: name,
                "tensor '\(name)' (\(dtypeName), shape \(shape)) needs \(overflow ? "more than Int.max" : String(expectedLength)) bytes "
                    + "but its data_offsets [\(begin), \(end)] span \(end - begin); the file is corrupt — re-export it")
        }
        return (dtype, shape, begin..<end)
    }

    private static func literal(_ value: HeaderJSON) -> String {
        if case .number(let literal) = value { return literal }
        return value.kindName
    }

    /// Checks that `tensors` (sorted by offsets) tile `0..<dataLength` exactly. A layout that is
    /// gap-free from 0 but runs past the end means the file was cut short (`truncatedFile`); a
    /// tensor past the end of a layout with gaps is `dataOffsetsOutOfBounds`.
    private static func checkLayout(_ tensors: [(name: String, offsets: Range<Int>)], dataLength: Int) throws(WeightsError) {
        var previous: (name: String, offsets: Range<Int>)?
        var firstGap: (after: String?, range: Range<Int>)?
        for tensor in tensors {
            let previousEnd = previous?.offsets.upperBound ?? 0
            if let previous, tensor.offsets.lowerBound < previousEnd {
                throw WeightsError(
                    .overlappingData, tensor: tensor.name,
                    "tensor '\(tensor.name)' (data bytes \(tensor.offsets)) overlaps tensor '\(previous.name)' "
                        + "(data bytes \(previous.offsets)); the file is corrupt or crafted — re-export it")
            }
            if tensor.offsets.lowerBound > previousEnd && firstGap == nil {
                firstGap = (previous?.name, previousEnd..<tensor.offsets.lowerBound)
            }
            previous = tensor
        }
        let layoutEnd = previous?.offsets.upperBound ?? 0
        if let first = tensors.first(where: { $0.offsets.upperBound > dataLength }) {
            if firstGap == nil {
                throw WeightsError(
                    .truncatedFile, tensor: first.name,
                    "the header describes \(layoutEnd) data bytes but the file holds \(dataLength); tensor '\(first.name)' "
                        + "(data bytes \(first.offsets)) is cut off — the file was truncated, re-download or re-export it")
            }
            throw WeightsError(
                .dataOffsetsOutOfBounds, tensor: first.name,
                "tensor '\(first.name)' has data bytes \(first.offsets), outside the \(dataLength)-byte data buffer; "
                    + "the file is corrupt — re-export it")
        }
        if let firstGap {
            let place = firstGap.after.map { "after tensor '\($0)'" } ?? "at the start of the data buffer"
            throw WeightsError(
                .unindexedBytes, tensor: firstGap.after,
                "data bytes \(firstGap.range) \(place) belong to no tensor; safetensors files must not have gaps — "
                    + "the file is corrupt or crafted, re-export it")
        }
        if layoutEnd < dataLength {
            throw WeightsError(
                .unindexedBytes,
                "the data buffer has \(dataLength - layoutEnd) bytes after the last tensor that belong to no tensor; "
                    + "the file is corrupt or has data appended — re-export it")
        }
    }
}
