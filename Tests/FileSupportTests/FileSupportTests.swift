import FileSupport
import Foundation
import Testing

/// The file layer every persisted file goes through (weights written by `SafeTensorsWriter`,
/// prepared parameters, index snapshots): a write is all or nothing, a mapping refuses what it
/// cannot map with a typed error, and interrupted writes are cleaned up.
@Suite struct FileSupportTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("file-support-\(UUID().uuidString)").path
        try AtomicFile.createDirectories(path + "/nested")
        return path + "/nested"
    }

    /// The mapped bytes of `path`, copied while the mapping is alive (its `bytes` do not keep it).
    static func contents(_ path: String) throws -> [UInt8] {
        let mapping = try ReadOnlyMapping(path: path)
        return withExtendedLifetime(mapping) { Array(mapping.bytes) }
    }

    @Test func writeReplacesWholeOrNotAtAll() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/data.bin"
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(try Self.contents(path) == [1, 2, 3])
        // A write that fails midway (here: the body's second append fails) leaves the old file
        // and no temporary behind.
        #expect(throws: FileSystemError.self) {
            try AtomicFile.write(to: path) { (append) throws(FileSystemError) in
                try [UInt8](repeating: 9, count: 10).withUnsafeBytes { b in Result { () throws(FileSystemError) in try append(b) } }.get()
                throw FileSystemError(.write, path, errorNumber: 28)
            }
        }
        #expect(try Self.contents(path) == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["data.bin"])
    }

    @Test func mappingRefusesWhatItCannotMap() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/empty", contents: Data())
        #expect { try ReadOnlyMapping(path: directory + "/empty") } throws: { ($0 as? FileSystemError)?.shortFileSize == 0 }
        #expect { try ReadOnlyMapping(path: directory) } throws: { ($0 as? FileSystemError)?.detail == "not a regular file" }
        #expect { try ReadOnlyMapping(path: directory + "/missing") } throws: { ($0 as? FileSystemError)?.operation == .open }
        try AtomicFile.write([0, 1, 2, 3], to: directory + "/four")
        #expect { try ReadOnlyMapping(path: directory + "/four", minimumCount: 8) } throws: { ($0 as? FileSystemError)?.shortFileSize == 4 }
    }

    /// Temporaries of dead processes go; those of a live one (maybe writing now) and of other
    /// files stay.
    @Test func interruptedWritesAreRemoved() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/items.hnsw"
        try AtomicFile.write([7], to: path)
        let live = "\(directory)/.items.hnsw.tmp-\(ProcessInfo.processInfo.processIdentifier == 1 ? 2 : 1)-5"
        let dead = "\(directory)/.items.hnsw.tmp-2147483646-7"
        let other = "\(directory)/.other.tmp-2147483646-7"
        for file in [live, dead, other] { FileManager.default.createFile(atPath: file, contents: Data([1])) }
        #expect(AtomicFile.removeInterruptedWrites(beside: path) == [dead])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: directory)) == ["items.hnsw", (live as NSString).lastPathComponent, ".other.tmp-2147483646-7"])
    }
}
