/// A 128-bit fingerprint of bytes, to tell whether two files (or a file and the key it was
/// written for) hold the same content: four independent 64-bit multiply–rotate lanes over
/// 32-byte blocks, then the tail, the length and a final avalanche, twice with different mixes.
///
/// Not cryptographic: it detects accidental changes (another weights file, a truncated or
/// corrupt cache file), not an adversary who can write the cache directory — who could as well
/// replace the weights. Cheap next to reading the file it hashes (a few bytes per cycle), so it
/// runs over a whole weights file at every start.
struct ContentDigest: Hashable, Sendable, CustomStringConvertible {
    let high: UInt64
    let low: UInt64

    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63

    init(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (Self.prime1 &+ Self.prime2, Self.prime2, 0, 0 &- Self.prime1)
        var offset = 0
        if let base = bytes.baseAddress {
            while offset &+ 32 <= count {
                lanes.0 = Self.round(lanes.0, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                lanes.1 = Self.round(lanes.1, base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self))
                lanes.2 = Self.round(lanes.2, base.loadUnaligned(fromByteOffset: offset &+ 16, as: UInt64.self))
                lanes.3 = Self.round(lanes.3, base.loadUnaligned(fromByteOffset: offset &+ 24, as: UInt64.self))
                offset &+= 32
            }
        }
        var tail = UInt64(count)
        while offset < count {
            tail = (tail ^ UInt64(bytes[offset])) &* Self.prime1
            tail = (tail << 11) | (tail >> 53)
            offset &+= 1
        }
        let merged = Self.rotate(lanes.0, 1) &+ Self.rotate(lanes.1, 7) &+ Self.rotate(lanes.2, 12) &+ Self.rotate(lanes.3, 18)
        high = Self.avalanche(merged ^ Self.round(0, tail))
        low = Self.avalanche((lanes.0 ^ Self.rotate(lanes.2, 29)) &+ (lanes.1 ^ Self.rotate(lanes.3, 31)) &+ tail &* Self.prime3)
    }

    /// The digest of a string's UTF-8 bytes.
    init(_ text: String) {
        self = Array(text.utf8).withUnsafeBytes { ContentDigest($0) }
    }

    /// 32 lowercase hexadecimal digits.
    var description: String { Self.hex(high) + Self.hex(low) }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { (value << bits) | (value >> (64 &- bits)) }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ word: UInt64) -> UInt64 {
        rotate(accumulator &+ UInt64(littleEndian: word) &* prime2, 31) &* prime1
    }

    private static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h &* prime4 ^ (h >> 31)
    }
}
