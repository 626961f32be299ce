import Foundation

/// A 2-D array read from the TEXMEX `.fvecs` / `.ivecs` / `.bvecs` formats: each row is a
/// little-endian `Int32` dimension followed by that many `Float32`, `Int32` or `UInt8` values.
struct FvecsFile {
    let rows: Int
    let columns: Int
    let floats: [Float]
    let integers: [Int]

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        let ext = url.pathExtension.lowercased()
        let width = ext == "bvecs" ? 1 : 4
        guard data.count >= 4 else { throw BenchmarkInputError("\(url.path) is empty.") }
        let columns = data.withUnsafeBytes { Int(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) }
        let rowBytes = 4 + columns * width
        guard columns > 0, data.count % rowBytes == 0 else {
            throw BenchmarkInputError("\(url.path): \(data.count) bytes is not a whole number of rows of dimension \(columns).")
        }
        let rows = data.count / rowBytes
        var floats: [Float] = []
        var integers: [Int] = []
        data.withUnsafeBytes { raw in
            for r in 0..<rows {
                for c in 0..<columns {
                    let offset = r * rowBytes + 4 + c * width
                    switch ext {
                    case "ivecs": integers.append(Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))))
                    case "bvecs": floats.append(Float(raw[offset]))
                    default: floats.append(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
                    }
                }
            }
        }
        self.rows = rows
        self.columns = columns
        self.floats = floats
        self.integers = integers
    }
}
