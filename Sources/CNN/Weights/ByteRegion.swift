import FileSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Immutable bytes that stay alive as long as any tensor view into them: either a read-only
/// mapping of a whole file (`ReadOnlyMapping`, shared with every other process mapping the same
/// file through the page cache), or a 64-byte-aligned heap copy of in-memory bytes.
///
/// This is the only place of the weights loader that touches raw pointers. Every accessor
/// takes byte ranges that the caller has already validated against `count`.
/// Concurrency: never written after `init`, so sharing across threads is safe. If another
/// process truncates a mapped file, reading the lost pages raises SIGBUS: weights files are
/// meant to be replaced by atomic rename (as `SafeTensorsWriter.write(to:)` does), never
/// rewritten in place.
final class ByteRegion: @unchecked Sendable {
    private let base: UnsafeRawPointer
    let count: Int
    /// The file mapping the bytes live in, or nil for a heap copy.
    private let mapping: ReadOnlyMapping?
    var isMemoryMapped: Bool { mapping != nil }

    /// Maps the whole file at `path` read-only. Files shorter than `minimumCount` are not mapped.
    /// Messages do not repeat the path: the caller names the file.
    init(mappingFileAt path: String, minimumCount: Int) throws(WeightsError) {
        let mapping: ReadOnlyMapping
        do {
            mapping = try ReadOnlyMapping(path: path, minimumCount: minimumCount)
        } catch {
            if let size = error.shortFileSize {
                throw WeightsError(
                    .truncatedFile,
                    "the file has \(size) bytes, fewer than the \(minimumCount) of a safetensors header length; "
                        + "the file is truncated or empty — re-export or re-download it")
            }
            if error.detail == "not a regular file" {
                throw WeightsError(.fileUnreadable, "not a regular file; pass the path of a .safetensors file")
            }
            throw WeightsError(.fileUnreadable, "cannot \(error.operation == .map ? "memory-map" : error.operation.rawValue) the file: \(error.reason); "
                + (error.operation == .map ? "check the address space limits (ulimit -v)" : "check the path and its permissions"))
        }
        self.mapping = mapping
        base = mapping.bytes.baseAddress!
        count = mapping.bytes.count
    }

    /// Copies `bytes` into aligned heap memory, so that F32 tensors can be viewed in place.
    init(copying bytes: [UInt8]) {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let sourceBase = source.baseAddress {
                storage.copyMemory(from: sourceBase, byteCount: source.count)
            }
        }
        base = UnsafeRawPointer(storage)
        count = bytes.count
        mapping = nil
    }

    deinit {
        // A mapping unmaps itself when released; a heap copy is ours to free.
        if mapping == nil { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }

    /// The little-endian `UInt64` at `offset`.
    func loadUInt64LittleEndian(at offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The digest of the bytes in `range`.
    func digest(_ range: Range<Int>) -> ContentDigest {
        ContentDigest(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// A copy of the bytes in `range`.
    func copyBytes(_ range: Range<Int>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// Whether a `Float` view may start at `offset` (the address is 4-byte aligned and the host
    /// is little-endian, like the file).
    func canViewFloats(at offset: Int) -> Bool {
        Int(bitPattern: base + offset) % MemoryLayout<Float>.alignment == 0 && 1.littleEndian == 1
    }

    /// Calls `body` with the `count` floats stored at `offset`, in place.
    func withFloats<Result, Failure: Error>(
        at offset: Int, count: Int, _ body: (UnsafeBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let floats = (base + offset).bindMemory(to: Float.self, capacity: count)
        return try body(UnsafeBufferPointer(start: floats, count: count))
    }

    /// The elements stored in `range` as `dtype`, converted to `Float`.
    func decodeFloats(_ range: Range<Int>, as dtype: WeightDType) -> [Float] {
        let elementCount = range.count / dtype.byteSize
        let start = base + range.lowerBound
        return [Float](unsafeUninitializedCapacity: elementCount) { output, initialized in
            switch dtype {
            case .f32:
                for index in 0..<elementCount {
                    let bits = UInt32(littleEndian: start.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
                    output[index] = Float(bitPattern: bits)
                }
            case .f16:
                for index in 0..<elementCount {
                    let bits = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
                    output[index] = HalfPrecision.float(fromF16: bits)
                }
            case .bf16:
                for index in 0..<elementCount {
                    let bits = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: index &* 2, as: UInt16.self))
                    output[index] = HalfPrecision.float(fromBF16: bits)
                }
            }
            initialized = elementCount
        }
    }
}
