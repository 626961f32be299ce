/// A read-only, fully validated safetensors file.
///
/// `init(contentsOf:)` memory-maps the file (`PROT_READ`, `MAP_PRIVATE`): pages are shared with
/// every process that maps the same file and are read only when touched. `init(bytes:)` makes
/// one aligned copy of in-memory bytes. Either way the header is checked completely before the
/// initializer returns (see `SafeTensorsHeader` for the rules), so every `TensorInfo` is in
/// bounds.
///
/// `tensor(_:)` returns F32 tensors as views into the file bytes (no copy) when their data is
/// 4-byte aligned, and a converted copy otherwise; F16 and BF16 tensors are converted to `Float`
/// on each call. Immutable, hence `Sendable`.
public final class SafeTensorsFile: Sendable {
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// Every tensor, in file order (by byte offset).
    public let tensors: [TensorInfo]
    /// Whether the bytes are a memory mapping of a file (rather than an in-memory copy).
    public var isMemoryMapped: Bool { region.isMemoryMapped }
    /// Size of the whole file in bytes.
    public var byteCount: Int { region.count }
    /// Length of the JSON header (`N`); the data buffer starts at byte `8 + headerLength`.
    public let headerLength: Int

    private let region: ByteRegion
    private let indexByName: [String: Int]

    /// Maps and validates the safetensors file at `path`; errors name the file.
    public convenience init(contentsOf path: String) throws(WeightsError) {
        do {
            let region = try ByteRegion(mappingFileAt: path, minimumCount: SafeTensorsHeader.lengthFieldSize)
            try self.init(region: region)
        } catch {
            throw error.located(in: path)
        }
    }

    /// Validates in-memory safetensors bytes, with the same rules as a file.
    public convenience init(bytes: [UInt8]) throws(WeightsError) {
        guard bytes.count >= SafeTensorsHeader.lengthFieldSize else {
            throw WeightsError(
                .truncatedFile,
                "the bytes are \(bytes.count) long, fewer than the 8 of a safetensors header length; "
                    + "they are truncated or empty — re-export them")
        }
        try self.init(region: ByteRegion(copying: bytes))
    }

    private init(region: ByteRegion) throws(WeightsError) {
        let headerLength = try SafeTensorsHeader.headerLength(field: region.loadUInt64LittleEndian(at: 0), fileSize: region.count)
        let dataStart = SafeTensorsHeader.lengthFieldSize + headerLength
        let header = try SafeTensorsHeader(
            json: region.copyBytes(SafeTensorsHeader.lengthFieldSize..<dataStart),
            dataStart: dataStart, dataLength: region.count - dataStart)
        self.region = region
        self.headerLength = headerLength
        self.metadata = header.metadata
        self.tensors = header.tensors
        self.indexByName = Dictionary(uniqueKeysWithValues: header.tensors.enumerated().map { ($1.name, $0) })
    }

    /// The digest of the whole file's bytes.
    var contentDigest: ContentDigest { region.digest(0..<region.count) }

    /// A 128-bit fingerprint of the whole file (32 hexadecimal digits): two files with the same
    /// fingerprint hold the same weights. Not cryptographic — it tells another or a changed
    /// weights file apart, not a forgery. Costs one pass over the file.
    public var fingerprint: String { contentDigest.description }

    /// The digest of the data buffer (the bytes after the header).
    var dataDigest: ContentDigest { region.digest((SafeTensorsHeader.lengthFieldSize + headerLength)..<region.count) }

    /// The entry named `name`, if the file has one.
    public func info(_ name: String) -> TensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The tensor named `name` as `Float`s; `missingTensor` (with similar names) when absent.
    public func tensor(_ name: String) throws(WeightsError) -> WeightTensor {
        guard let info = info(name) else {
            throw WeightsError.missingTensor(name, among: tensors.map(\.name))
        }
        return tensor(for: info)
    }

    func tensor(for info: TensorInfo) -> WeightTensor {
        if info.dtype == .f32 && region.canViewFloats(at: info.byteRange.lowerBound) {
            return WeightTensor(name: info.name, shape: info.shape, region: region, byteOffset: info.byteRange.lowerBound)
        }
        return WeightTensor(name: info.name, shape: info.shape, scalars: region.decodeFloats(info.byteRange, as: info.dtype))
    }
}
