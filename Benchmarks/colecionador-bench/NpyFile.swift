import Foundation

/// A 2-D array read from a NumPy `.npy` file (format versions 1–3, little-endian, C order;
/// dtypes `<f4`, `<f8`, `<i4`, `<i8`), converted to `Float` or `Int`.
struct NpyFile {
    enum Values {
        case floats([Float])
        case integers([Int])
    }

    let rows: Int
    let columns: Int
    let values: Values

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count >= 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else {
            throw BenchmarkInputError("\(url.path) is not a .npy file (missing \\x93NUMPY magic).")
        }
        let major = data[data.startIndex + 6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
            headerStart = 10
        } else {
            guard data.count >= 12 else { throw BenchmarkInputError("\(url.path): truncated .npy header.") }
            headerLength = (0..<4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard data.count >= headerStart + headerLength else { throw BenchmarkInputError("\(url.path): truncated .npy header.") }
        let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)
        guard let descr = Self.field("descr", in: header), let shapeText = Self.field("shape", in: header) else {
            throw BenchmarkInputError("\(url.path): .npy header lacks descr or shape: \(header)")
        }
        guard !header.contains("'fortran_order': True") else {
            throw BenchmarkInputError("\(url.path): Fortran-ordered arrays are not supported; save with np.ascontiguousarray.")
        }
        let shape = shapeText.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard (1...2).contains(shape.count) else { throw BenchmarkInputError("\(url.path): expected a 1-D or 2-D array, shape \(shapeText).") }
        rows = shape[0]
        columns = shape.count == 2 ? shape[1] : 1
        let count = rows * columns
        let body = data.subdata(in: (data.startIndex + headerStart + headerLength)..<data.endIndex)
        let widths = ["<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8]
        guard let width = widths[descr] else {
            throw BenchmarkInputError("\(url.path): dtype \(descr) is not supported; use float32, float64, int32 or int64.")
        }
        guard body.count >= count * width else { throw BenchmarkInputError("\(url.path): data is truncated.") }
        values = body.withUnsafeBytes { raw in
            switch descr {
            case "<f4": .floats((0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) })
            case "<f8": .floats((0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) })
            case "<i4": .integers((0..<count).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) })
            default: .integers((0..<count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) })
            }
        }
    }

    private static func field(_ name: String, in header: String) -> String? {
        guard let key = header.range(of: "'\(name)':") else { return nil }
        let rest = header[key.upperBound...].drop { $0 == " " }
        if rest.first == "(" { return rest.firstIndex(of: ")").map { String(rest[rest.startIndex...$0]) } }
        if rest.first == "'" {
            let inner = rest.dropFirst()
            return inner.firstIndex(of: "'").map { String(inner[inner.startIndex..<$0]) }
        }
        return nil
    }
}

struct BenchmarkInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
