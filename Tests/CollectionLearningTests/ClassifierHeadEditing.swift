import Foundation

/// Rewrites one `__metadata__` value of a safetensors file (the header is JSON; the data after
/// it is kept, so only the 8-byte header length and the header change).
enum ClassifierHeadEditing {
    struct Failure: Error {}

    static func rewritingMetadata(_ bytes: [UInt8], key: String, value: String) throws -> [UInt8] {
        let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = Data(bytes[8..<(8 + length)])
        guard var json = try JSONSerialization.jsonObject(with: header) as? [String: Any], var metadata = json["__metadata__"] as? [String: String] else {
            throw Failure()
        }
        metadata[key] = value
        json["__metadata__"] = metadata
        var newHeader = [UInt8](try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
        while newHeader.count % 8 != 0 { newHeader.append(0x20) }
        let count = UInt64(newHeader.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) } + newHeader + bytes[(8 + length)...]
    }
}
