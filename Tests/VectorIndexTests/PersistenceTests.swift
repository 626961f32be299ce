import Foundation
import Testing
@testable import VectorIndex

/// Save → load round trips give identical results; damaged files give typed errors.
@Suite struct PersistenceTests {
    static func temporaryURL(_ name: String) -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vectorindex-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("\(name)-\(UUID().uuidString).colx")
    }

    static func code(_ body: () throws -> Void) -> IndexError.Code? {
        do {
            try body()
            return nil
        } catch let error as IndexError {
            return error.code
        } catch {
            return nil
        }
    }

    static let parameters = SearchParameters(k: 10, ef: 48, nprobe: 8)

    @Test func flatRoundTrip() throws {
        let set = Fixtures.clustered
        let url = Self.temporaryURL("flat")
        defer { try? FileManager.default.removeItem(at: url) }
        try Fixtures.clusteredFlat.save(to: url)
        let loaded = try FlatIndex.load(from: url)
        #expect(loaded.count == set.ids.count && loaded.dimension == set.dimension && loaded.metric == .l2)
        #expect(try Fixtures.results(loaded, set, Self.parameters) == (try Fixtures.results(Fixtures.clusteredFlat, set, Self.parameters)))
    }

    @Test func hnswRoundTripWithTombstones() throws {
        let set = Fixtures.clustered
        let original = Fixtures.hnsw(set, metric: .cosine)
        original.remove(ids: Array(set.ids.prefix(300)))
        let url = Self.temporaryURL("hnsw")
        defer { try? FileManager.default.removeItem(at: url) }
        try original.save(to: url)
        let loaded = try HNSWIndex.load(from: url)
        #expect(loaded.count == original.count && loaded.tombstoneCount == 300 && loaded.metric == .cosine)
        #expect(loaded.configuration == original.configuration)
        let before = try Fixtures.results(original, set, Self.parameters)
        #expect(try Fixtures.results(loaded, set, Self.parameters) == before)

        // A mapped index can still be modified; the file is not touched.
        let bytes = try Data(contentsOf: url)
        try loaded.add(ids: [99_999_999], vectors: set.query(0))
        #expect(try loaded.search(set.query(0), k: 1).first?.id == 99_999_999)
        #expect(try Data(contentsOf: url) == bytes)
        #expect(try Fixtures.results(HNSWIndex.load(from: url), set, Self.parameters) == before)
    }

    @Test func ivfRoundTrip() throws {
        let set = Fixtures.clustered
        let original = Fixtures.ivf(set)
        original.remove(ids: Array(set.ids.suffix(100)))
        let url = Self.temporaryURL("ivf")
        defer { try? FileManager.default.removeItem(at: url) }
        try original.save(to: url)
        let loaded = try IVFIndex.load(from: url, verifyChecksums: false)
        #expect(loaded.isTrained && loaded.count == original.count && loaded.listSizes == original.listSizes)
        #expect(try Fixtures.results(loaded, set, Self.parameters) == (try Fixtures.results(original, set, Self.parameters)))
        try loaded.add(ids: [42_000_000], vectors: set.query(1))
        #expect(try loaded.search(set.query(1), parameters: SearchParameters(k: 1)).first?.id == 42_000_000)

        let untrained = try IVFIndex(dimension: 8, configuration: .init(nlist: 4))
        try untrained.save(to: url)
        let reloaded = try IVFIndex.load(from: url)
        #expect(!reloaded.isTrained && reloaded.count == 0)
    }

    /// A small saved HNSW index to damage.
    static func savedHNSW() throws -> (URL, Data) {
        let index = try HNSWIndex(dimension: 8, configuration: .init(m: 4, efConstruction: 16))
        try index.add(ids: (0..<50).map { UInt64($0) }, vectors: TestData.uniform(count: 50, dimension: 8, seed: 3))
        let url = temporaryURL("damaged")
        try index.save(to: url)
        return (url, try Data(contentsOf: url))
    }

    @Test func truncatedFilesAreRejected() throws {
        let (url, bytes) = try Self.savedHNSW()
        defer { try? FileManager.default.removeItem(at: url) }
        for length in [0, 7, 40, 63, 200, bytes.count / 2, bytes.count - 1] {
            try bytes.prefix(length).write(to: url)
            let code = Self.code { _ = try HNSWIndex.load(from: url) }
            #expect(code == .truncatedFile || (length >= 200 && code == .corruptFile), "length \(length): \(String(describing: code))")
        }
    }

    @Test func corruptBytesAreRejected() throws {
        let (url, bytes) = try Self.savedHNSW()
        defer { try? FileManager.default.removeItem(at: url) }
        for offset in [12, 20, 70, 100, bytes.count / 3, bytes.count / 2, bytes.count - 100] {
            var damaged = bytes
            damaged[offset] ^= 0x5A
            try damaged.write(to: url)
            #expect(Self.code { _ = try HNSWIndex.load(from: url) } == .corruptFile, "byte \(offset)")
        }
        var extended = bytes
        extended.append(contentsOf: [0, 0, 0, 0])
        try extended.write(to: url)
        #expect(Self.code { _ = try HNSWIndex.load(from: url) } == .corruptFile)
    }

    @Test func damagedLinksAreCaughtEvenWithoutChecksums() throws {
        let (url, bytes) = try Self.savedHNSW()
        defer { try? FileManager.default.removeItem(at: url) }
        let loaded = try HNSWIndex.load(from: url)
        let linkOffset = try Self.sectionOffset("LNK0", in: bytes)
        var damaged = bytes
        damaged.replaceSubrange(linkOffset + 4..<linkOffset + 8, with: [0xFF, 0xFF, 0, 0])
        try damaged.write(to: url)
        #expect(Self.code { _ = try HNSWIndex.load(from: url, verifyChecksums: false) } == .corruptFile)
        #expect(loaded.count == 50)
    }

    @Test func wrongVersionMagicAndKindAreRejected() throws {
        let (url, bytes) = try Self.savedHNSW()
        defer { try? FileManager.default.removeItem(at: url) }
        var newer = bytes
        newer[8] = 2
        try newer.write(to: url)
        #expect(Self.code { _ = try HNSWIndex.load(from: url) } == .unsupportedVersion)
        var notIndex = bytes
        notIndex[0] = UInt8(ascii: "X")
        try notIndex.write(to: url)
        #expect(Self.code { _ = try HNSWIndex.load(from: url) } == .notAnIndexFile)
        try bytes.write(to: url)
        #expect(Self.code { _ = try FlatIndex.load(from: url) } == .wrongIndexKind)
        #expect(Self.code { _ = try IVFIndex.load(from: url) } == .wrongIndexKind)
        #expect(Self.code { _ = try HNSWIndex.load(from: url.appendingPathExtension("missing")) } == .io)
    }

    @Test func saveReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let url = Self.temporaryURL("atomic")
        defer { try? FileManager.default.removeItem(at: url) }
        let index = try FlatIndex(dimension: 2)
        try index.add(ids: [1], vectors: [1, 2])
        try index.save(to: url)
        let mapped = try FlatIndex.load(from: url)
        try index.add(ids: [2], vectors: [3, 4])
        try index.save(to: url)
        #expect(mapped.count == 1 && mapped.vector(for: 1) == [1, 2], "an index mapped before a save keeps its snapshot")
        #expect(try FlatIndex.load(from: url).count == 2)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.contains(url.lastPathComponent + ".tmp") })
        #expect(Self.code { try index.save(to: URL(fileURLWithPath: "/nonexistent-dir/x.colx")) } == .io)
    }

    /// Byte offset of a section, read from the section table as documented in `Docs/IndexFormat.md`.
    static func sectionOffset(_ tag: String, in bytes: Data) throws -> Int {
        let count = Int(bytes[16])
        for i in 0..<count {
            let entry = 64 + 32 * i
            if String(decoding: bytes[entry..<entry + 4], as: UTF8.self) == tag {
                return (0..<8).reduce(0) { $0 | Int(bytes[entry + 8 + $1]) << (8 * $1) }
            }
        }
        throw IndexError(.corruptFile, "no section \(tag)")
    }
}
