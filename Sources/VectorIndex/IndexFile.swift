import FileSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which index a file holds (header field `kind`).
enum IndexKind: UInt32, Sendable {
    case flat = 1
    case ivf = 2
    case hnsw = 3
}

/// The container shared by every index file: a 64-byte header, a section table, then sections
/// aligned to 64 bytes. Layout, checksums and limits are specified in `Docs/IndexFormat.md`.
enum IndexFile {
    static let magic: [UInt8] = Array("COLXVIDX".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let tableEntrySize = 32
    static let alignment = 64
    static let maximumSections = 64

    /// Four ASCII characters packed little-endian, e.g. `"VECS"`.
    static func tag(_ name: String) -> UInt32 {
        var value: UInt32 = 0
        for (i, byte) in name.utf8.prefix(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(i)) }
        return value
    }

    static func tagName(_ tag: UInt32) -> String {
        String(decoding: (0..<4).map { UInt8((tag >> (8 * $0)) & 0xFF) }, as: UTF8.self)
    }

    /// FNV-1a over little-endian 64-bit words (the last word zero-padded), seeded with the length:
    /// `h = 0xcbf29ce484222325 ^ n; for each word w: h = (h ^ w) · 0x100000001b3 (mod 2⁶⁴)`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        let words = bytes.count / 8
        guard let base = bytes.baseAddress else { return h }
        for i in 0..<words {
            h = (h ^ UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))) &* 0x100_0000_01b3
        }
        let rest = bytes.count - words * 8
        if rest > 0 {
            var last: UInt64 = 0
            for j in 0..<rest { last |= UInt64(bytes[words * 8 + j]) << (8 * UInt64(j)) }
            h = (h ^ last) &* 0x100_0000_01b3
        }
        return h
    }
}

/// Collects sections and writes them to a temporary file in the destination's directory, then
/// renames it over the destination, so a reader sees the old file or the new one, never a mix.
struct IndexFileWriter {
    private var sections: [(tag: UInt32, bytes: UnsafeRawBufferPointer)] = []
    private let kind: IndexKind

    init(kind: IndexKind) { self.kind = kind }

    /// Adds a section viewing `bytes`, which must stay valid until `write` returns.
    mutating func add(_ tag: String, _ bytes: UnsafeRawBufferPointer) {
        sections.append((IndexFile.tag(tag), bytes))
    }

    func write(to url: URL) throws(IndexError) {
        let tableEnd = IndexFile.headerSize + sections.count * IndexFile.tableEntrySize
        var offsets: [Int] = []
        var cursor = align(tableEnd)
        for section in sections {
            offsets.append(cursor)
            cursor = align(cursor + section.bytes.count)
        }
        let fileLength = cursor
        var head = [UInt8](repeating: 0, count: tableEnd)
        head.replaceSubrange(0..<8, with: IndexFile.magic)
        store(IndexFile.version, at: 8, in: &head)
        store(kind.rawValue, at: 12, in: &head)
        store(UInt32(sections.count), at: 16, in: &head)
        store(UInt64(fileLength), at: 24, in: &head)
        for (i, section) in sections.enumerated() {
            let entry = IndexFile.headerSize + i * IndexFile.tableEntrySize
            store(section.tag, at: entry, in: &head)
            store(UInt64(offsets[i]), at: entry + 8, in: &head)
            store(UInt64(section.bytes.count), at: entry + 16, in: &head)
            store(IndexFile.checksum(section.bytes), at: entry + 24, in: &head)
        }
        store(headerChecksum(head), at: 32, in: &head)

        let padding = [UInt8](repeating: 0, count: IndexFile.alignment)
        do {
            try AtomicFile.write(to: url.path) { (append) throws(FileSystemError) in
                var written = 0
                func put(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
                    try append(bytes)
                    written += bytes.count
                }
                func pad(to target: Int) throws(FileSystemError) {
                    let gap = target - written
                    if gap > 0 {
                        try padding.withUnsafeBytes { p in
                            Result { () throws(FileSystemError) in try put(UnsafeRawBufferPointer(rebasing: p[0..<gap])) }
                        }.get()
                    }
                }
                try head.withUnsafeBytes { p in Result { () throws(FileSystemError) in try put(p) } }.get()
                for (i, section) in sections.enumerated() {
                    try pad(to: offsets[i])
                    if section.bytes.count > 0 { try put(section.bytes) }
                }
                try pad(to: fileLength)
            }
        } catch {
            let hint = error.operation == .write || error.operation == .sync ? "Check free disk space." : "Check that the directory exists and is writable."
            throw IndexError(.io, "Saving \(url.path) failed: \(error). \(hint)")
        }
    }

    private func align(_ offset: Int) -> Int {
        (offset + IndexFile.alignment - 1) / IndexFile.alignment * IndexFile.alignment
    }

    private func store<T: FixedWidthInteger>(_ value: T, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
    }
}

/// Header checksum: `IndexFile.checksum` over bytes 0..<32 of the header followed by the section table.
private func headerChecksum(_ head: [UInt8]) -> UInt64 {
    var covered = Array(head[0..<32])
    covered.append(contentsOf: head[IndexFile.headerSize...])
    return covered.withUnsafeBytes { IndexFile.checksum($0) }
}

/// A mapped index file whose header, table and (optionally) section checksums were verified.
/// Sections are handed out as `Arena` views of the mapping: nothing is copied or parsed.
struct IndexFileReader {
    let file: ReadOnlyMapping
    private var sections: [UInt32: (offset: Int, length: Int)] = [:]
    private let path: String

    init(url: URL, expecting kind: IndexKind, verifyChecksums: Bool) throws(IndexError) {
        path = url.path
        do {
            file = try ReadOnlyMapping(path: path)
        } catch {
            if error.shortFileSize != nil { throw IndexError(.truncatedFile, "\(path) is empty; it is not a saved index.") }
            throw IndexError(.io, "\(error.description.prefix(1).uppercased())\(error.description.dropFirst()). Check the path and permissions.")
        }
        let bytes = file.bytes
        guard bytes.count >= IndexFile.headerSize else {
            if bytes.count >= 8, Array(bytes[0..<8]) != IndexFile.magic {
                throw IndexError(.notAnIndexFile, "\(path) does not start with COLXVIDX; it is not a Colecionador index file.")
            }
            throw IndexError(.truncatedFile, "\(path) is \(bytes.count) bytes, shorter than the 64-byte header; the file was cut off — save the index again.")
        }
        guard Array(bytes[0..<8]) == IndexFile.magic else {
            throw IndexError(.notAnIndexFile, "\(path) does not start with COLXVIDX; it is not a Colecionador index file.")
        }
        let version: UInt32 = Self.load(bytes, 8)
        guard version == IndexFile.version else {
            throw IndexError(.unsupportedVersion, "\(path) has format version \(version); this build reads version \(IndexFile.version). Rebuild the index or use a matching release.")
        }
        let sectionCount = Int(Self.load(bytes, 16) as UInt32)
        guard sectionCount <= IndexFile.maximumSections else {
            throw IndexError(.corruptFile, "\(path) claims \(sectionCount) sections (limit \(IndexFile.maximumSections)); the header is damaged.")
        }
        let tableEnd = IndexFile.headerSize + sectionCount * IndexFile.tableEntrySize
        let declaredLength = Int(truncatingIfNeeded: Self.load(bytes, 24) as UInt64)
        guard bytes.count >= tableEnd, bytes.count >= declaredLength else {
            throw IndexError(.truncatedFile, "\(path) is \(bytes.count) bytes but its header declares \(max(declaredLength, tableEnd)); the file was cut off — save the index again.")
        }
        let head = Array(bytes[0..<tableEnd])
        guard headerChecksum(head) == Self.load(bytes, 32) as UInt64 else {
            throw IndexError(.corruptFile, "\(path): header checksum mismatch; the file is damaged — restore or rebuild it.")
        }
        guard declaredLength == bytes.count else {
            throw IndexError(.corruptFile, "\(path) is \(bytes.count) bytes but its header declares \(declaredLength); the file was altered.")
        }
        let kindValue: UInt32 = Self.load(bytes, 12)
        guard kindValue == kind.rawValue else {
            let found = IndexKind(rawValue: kindValue).map { "\($0)" } ?? "unknown kind \(kindValue)"
            throw IndexError(.wrongIndexKind, "\(path) holds a \(found) index, not a \(kind) index; load it with the matching type.")
        }
        for i in 0..<sectionCount {
            let entry = IndexFile.headerSize + i * IndexFile.tableEntrySize
            let tag: UInt32 = Self.load(bytes, entry)
            let offset = Int(truncatingIfNeeded: Self.load(bytes, entry + 8) as UInt64)
            let length = Int(truncatingIfNeeded: Self.load(bytes, entry + 16) as UInt64)
            guard offset >= tableEnd, length >= 0, offset % IndexFile.alignment == 0,
                offset <= bytes.count, length <= bytes.count - offset
            else {
                throw IndexError(.corruptFile, "\(path): section \(IndexFile.tagName(tag)) lies outside the file; the file is damaged.")
            }
            if verifyChecksums {
                let stored: UInt64 = Self.load(bytes, entry + 24)
                let actual = IndexFile.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
                guard stored == actual else {
                    throw IndexError(.corruptFile, "\(path): checksum mismatch in section \(IndexFile.tagName(tag)); the file is damaged — restore or rebuild it.")
                }
            }
            sections[tag] = (offset, length)
        }
    }

    private static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
        T(littleEndian: bytes.baseAddress!.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The `PARM` section as little-endian `UInt64` values; at least `minimum` of them.
    func parameters(minimum: Int) throws(IndexError) -> [UInt64] {
        let section = try locate("PARM")
        let count = section.length / 8
        guard count >= minimum else {
            throw IndexError(.corruptFile, "\(path): PARM holds \(count) values, expected \(minimum); the file is damaged.")
        }
        return (0..<count).map { Self.load(file.bytes, section.offset + $0 * 8) }
    }

    /// A view of section `name`, which must hold exactly `count` elements.
    func arena<Element: BitwiseCopyable>(_ name: String, count: Int, of _: Element.Type = Element.self) throws(IndexError) -> Arena<Element> {
        let section = try locate(name)
        let size = MemoryLayout<Element>.stride
        guard count >= 0, count <= Int.max / size, section.length == count * size else {
            throw IndexError(.corruptFile, "\(path): section \(name) is \(section.length) bytes, expected \(count) × \(size); the file is damaged.")
        }
        return Arena(viewing: file, byteOffset: section.offset, count: count)
    }

    /// Views of consecutive ranges of section `name`, which must hold exactly `boundaries.last!`
    /// rows of `rowLength` elements; range `i` is rows `boundaries[i] ..< boundaries[i + 1]`.
    func arenas<Element: BitwiseCopyable>(
        _ name: String, boundaries: [Int], rowLength: Int, of _: Element.Type = Element.self
    ) throws(IndexError) -> [Arena<Element>] {
        let section = try locate(name)
        let rowBytes = MemoryLayout<Element>.stride * rowLength
        guard let total = boundaries.last, boundaries.first == 0, total <= Int.max / max(rowBytes, 1),
            section.length == total * rowBytes, zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw IndexError(.corruptFile, "\(path): section \(name) is \(section.length) bytes, which disagrees with its list offsets; the file is damaged.")
        }
        return zip(boundaries, boundaries.dropFirst()).map { start, end in
            Arena(viewing: file, byteOffset: section.offset + start * rowBytes, count: (end - start) * rowLength)
        }
    }

    private func locate(_ name: String) throws(IndexError) -> (offset: Int, length: Int) {
        guard let section = sections[IndexFile.tag(name)] else {
            throw IndexError(.corruptFile, "\(path) lacks section \(name); the file is damaged or incomplete.")
        }
        return section
    }
}
