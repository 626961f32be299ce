/// Rewrites the checksums of an index file (FNV-1a over little-endian 64-bit words, seeded with
/// the length; see `Docs/IndexFormat.md`) so that a mutated file passes the checksum tests and
/// reaches the checks behind them. Written from the format document, independently of the
/// library's own implementation.
enum IndexChecksumRepair {
    static func repaired(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        guard bytes.count >= 64 else { return bytes }
        let sectionCount = Int(read32(bytes, 16))
        let tableEnd = 64 + min(sectionCount, 64) * 32
        guard tableEnd <= bytes.count else { return bytes }
        write64(UInt64(bytes.count), at: 24, in: &bytes)
        for i in 0..<min(sectionCount, 64) {
            let entry = 64 + i * 32
            let offset = read64(bytes, entry + 8)
            let length = read64(bytes, entry + 16)
            guard offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else { continue }
            let section = Array(bytes[Int(offset)..<Int(offset + length)])
            write64(checksum(section), at: entry + 24, in: &bytes)
        }
        write64(checksum(Array(bytes[0..<32]) + Array(bytes[64..<tableEnd])), at: 32, in: &bytes)
        return bytes
    }

    static func checksum(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var start = 0
        while start < bytes.count {
            var word: UInt64 = 0
            for j in 0..<min(8, bytes.count - start) { word |= UInt64(bytes[start + j]) << (8 * UInt64(j)) }
            h = (h ^ word) &* 0x100_0000_01b3
            start += 8
        }
        return h
    }

    private static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    private static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }

    private static func write64(_ value: UInt64, at: Int, in bytes: inout [UInt8]) {
        for j in 0..<8 { bytes[at + j] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(j))) }
    }
}
