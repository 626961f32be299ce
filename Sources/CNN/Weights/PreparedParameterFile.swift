/// The prepared parameters of a planned network (BatchNorm folded, 1×1 weights packed into GEMM
/// panels, …) in one file that every process planning the same network from the same weights
/// maps instead of recomputing them privately: its pages are shared through the page cache.
///
/// Layout — a valid safetensors file (any safetensors reader opens it):
/// - `__metadata__`: `data-digest` (the `ContentDigest` of the data buffer, 32 hex digits),
///   `format` = `colecionador-prepared-parameters`, `key` (the `PreparedParameterKey` text the
///   network was planned with), `version` = `1`;
/// - one F32 tensor per prepared parameter, named `<step>/<role>` (`<step>` is the planned step's
///   node name, `<role>` e.g. `weights`, `bias`, `packed`, `padded-bias.0`), flat shape `[count]`,
///   in step order;
/// - the data buffer starts at a multiple of 64 bytes (the header is padded with spaces) and so
///   does every parameter: safetensors forbids gaps, so the space before a parameter is a zero
///   F32 tensor named `padding/<n>`.
///
/// `init(contentsOf:key:)` rejects a file that is unreadable, truncated or malformed, written for
/// another key or version, or whose data does not match its digest: the caller plans afresh.
struct PreparedParameterFile: Sendable {
    static let format = "colecionador-prepared-parameters"
    static let version = "1"
    static let alignment = 64

    /// Why a file was not used; `message` says what was wrong.
    struct Rejection: Error {
        let message: String
    }

    let path: String
    private let file: SafeTensorsFile

    /// Maps and checks the file at `path`.
    init(contentsOf path: String, key: String) throws(Rejection) {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: path)
        } catch {
            throw Rejection(message: error.message)
        }
        guard file.metadata["format"] == Self.format, file.metadata["version"] == Self.version else {
            throw Rejection(message: "\(path) is not a version-\(Self.version) prepared-parameters file")
        }
        guard file.metadata["key"] == key else {
            throw Rejection(message: "\(path) was written for other weights, graph or options")
        }
        guard file.metadata["data-digest"] == file.dataDigest.description else {
            throw Rejection(message: "\(path) is corrupt: its data does not match its digest")
        }
        self.path = path
        self.file = file
    }

    /// A view of the parameter `name`, which must hold `count` floats.
    func storage(_ name: String, count: Int) throws(Rejection) -> ParameterStorage {
        guard let info = file.info(name), info.dtype == .f32, info.shape == [count],
            info.byteRange.lowerBound % Self.alignment == 0
        else {
            throw Rejection(message: "\(path) has no 64-byte-aligned F32 tensor '\(name)' of \(count) values")
        }
        return ParameterStorage(viewing: file.tensor(for: info))
    }

    /// A copy of the (small) parameter `name`, which must hold `count` floats.
    func values(_ name: String, count: Int) throws(Rejection) -> [Float] {
        try storage(name, count: count).withUnsafeBufferPointer { Array($0) }
    }

    /// A copy of the parameter `name` if the file has it (an optional bias).
    func optionalValues(_ name: String, count: Int) throws(Rejection) -> [Float]? {
        file.info(name) == nil ? nil : try values(name, count: count)
    }

    /// The complete file for `parameters` (unique names, in order) planned under `key`.
    static func bytes(_ parameters: [(name: String, values: ParameterStorage)], key: String) -> [UInt8] {
        var entries: [(name: String, count: Int, offset: Int, values: ParameterStorage?)] = []
        var dataLength = 0
        for parameter in parameters {
            let gap = (alignment - dataLength % alignment) % alignment
            if gap > 0 {
                entries.append(("padding/\(entries.count)", gap / 4, dataLength, nil))
                dataLength += gap
            }
            entries.append((parameter.name, parameter.values.count, dataLength, parameter.values))
            dataLength += parameter.values.count * 4
        }
        // `data-digest` comes first so that its placeholder sits at a known place in the header.
        let digestPrefix = "{\"__metadata__\":{\"data-digest\":\""
        var header = digestPrefix + String(repeating: "0", count: 32) + "\","
        header += "\"format\":\(SafeTensorsWriter.quoted(format)),\"key\":\(SafeTensorsWriter.quoted(key)),"
        header += "\"version\":\(SafeTensorsWriter.quoted(version))}"
        for entry in entries {
            header += ",\(SafeTensorsWriter.quoted(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(entry.count)],"
            header += "\"data_offsets\":[\(entry.offset),\(entry.offset + entry.count * 4)]}"
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        let lengthField = SafeTensorsHeader.lengthFieldSize
        while (lengthField + headerBytes.count) % alignment != 0 { headerBytes.append(UInt8(ascii: " ")) }
        let dataStart = lengthField + headerBytes.count

        var output = [UInt8](repeating: 0, count: dataStart + dataLength)
        output.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: UInt64(headerBytes.count).littleEndian, as: UInt64.self)
            headerBytes.withUnsafeBytes { buffer.baseAddress!.advanced(by: lengthField).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            for entry in entries {
                guard let values = entry.values, values.count > 0 else { continue }
                values.withUnsafeBytes { source in
                    // F32 little-endian: the host order on every platform this runs on.
                    buffer.baseAddress!.advanced(by: dataStart + entry.offset).copyMemory(from: source.baseAddress!, byteCount: source.count)
                }
            }
            let digest = ContentDigest(UnsafeRawBufferPointer(rebasing: buffer[dataStart...])).description
            let digestStart = lengthField + digestPrefix.utf8.count
            for (index, byte) in digest.utf8.enumerated() { buffer[digestStart + index] = byte }
        }
        return output
    }
}
