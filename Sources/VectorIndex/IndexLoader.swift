import Foundation

/// Opens an index file of any kind: the header's `kind` field decides whether it becomes a
/// `FlatIndex`, an `IVFIndex` or an `HNSWIndex`.
public enum IndexLoader {
    public static func load(from url: URL, verifyChecksums: Bool = true) throws(IndexError) -> any VectorIndex {
        do {
            return try HNSWIndex.load(from: url, verifyChecksums: verifyChecksums)
        } catch where error.code == .wrongIndexKind {}
        do {
            return try IVFIndex.load(from: url, verifyChecksums: verifyChecksums)
        } catch where error.code == .wrongIndexKind {}
        return try FlatIndex.load(from: url, verifyChecksums: verifyChecksums)
    }
}
