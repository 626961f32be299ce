import Foundation

/// Loads the benchmark's matrices from `.npy`, `.fvecs`, `.ivecs` or `.bvecs` files.
enum IndexBenchmarkData {
    static func floats(_ path: String) throws -> (rows: Int, columns: Int, values: [Float]) {
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "npy" {
            let file = try NpyFile(url: url)
            switch file.values {
            case .floats(let values): return (file.rows, file.columns, values)
            case .integers(let values): return (file.rows, file.columns, values.map(Float.init))
            }
        }
        let file = try FvecsFile(url: url)
        guard !file.floats.isEmpty else { throw BenchmarkInputError("\(path) holds integers; pass vectors as .npy (float) or .fvecs.") }
        return (file.rows, file.columns, file.floats)
    }

    static func integers(_ path: String) throws -> (rows: Int, columns: Int, values: [Int]) {
        let url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "npy" {
            let file = try NpyFile(url: url)
            guard case .integers(let values) = file.values else { throw BenchmarkInputError("\(path) holds floats; ground truth must be integer ids.") }
            return (file.rows, file.columns, values)
        }
        let file = try FvecsFile(url: url)
        return (file.rows, file.columns, file.integers)
    }

    /// Resident set size of this process in bytes (`/proc/self/statm`), or 0 where unavailable.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
