import Foundation
import Testing
import VectorIndex

/// Files that made the `fuzz-index` harness (Fuzz/) fail, kept in
/// `Tests/Fixtures/fuzz-regressions/index/` with valid checksums (as the harness loads them,
/// see `repair_index_checksums.py` there). Each must now be refused with its typed error.
@Suite struct IndexFuzzRegressionTests {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/fuzz-regressions/index")
    }()

    /// File → the error it must raise. `hnsw-ef-construction-536870920`: an HNSW file whose
    /// PARM stores efConstruction 0x20000008; it loaded, and the first insert reserved 8.6 GB
    /// of search candidates. `hnsw-link-to-lower-level-node`: slot 2 links at levels 1 and 2 to
    /// slot 8, a level-0 node; a search read slot 8's (absent) upper list from another node's
    /// words and visited slot 65538 of 13 — a heap read after free on the first insert.
    /// `hnsw-overlapping-upper-links`: two nodes' upper-link lists share words of LNKU; an
    /// insert wrote one node's links over the other's link count, and the next search read
    /// past the list (heap read overflow).
    static let expected: [String: IndexError.Code] = [
        "hnsw-ef-construction-536870920": .corruptFile,
        "hnsw-link-to-lower-level-node": .corruptFile,
        "hnsw-overlapping-upper-links": .corruptFile,
    ]

    @Test(arguments: expected.keys.sorted())
    func isRefusedWithItsTypedError(file: String) {
        let url = Self.directory.appendingPathComponent(file)
        #expect {
            try IndexLoader.load(from: url)
        } throws: { error in
            (error as? IndexError)?.code == Self.expected[file]
        }
    }

    @Test func everyKeptInputHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(Set(files) == Set(Self.expected.keys))
    }
}
