import Foundation
import Imaging
import Testing

/// Inputs the `fuzz-png` harness (Fuzz/) found, kept in `Tests/Fixtures/fuzz-regressions/png/`.
/// `chunk-length-1gb`: 184 bytes whose chunk after tRNS declares ~1 GB; libpng allocated the
/// declared length before reading. It must now be refused before libpng sees it.
@Suite struct PNGFuzzRegressionTests {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/fuzz-regressions/png")
    }()

    static let expected: [String: ImagingError.Code] = ["chunk-length-1gb": .truncated]

    @Test(arguments: expected.keys.sorted())
    func endsInItsTypedError(file: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(file)))
        #expect {
            try Image(decoding: bytes)
        } throws: { error in
            (error as? ImagingError)?.code == Self.expected[file]
        }
    }

    @Test func everyKeptInputHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(Set(files) == Set(Self.expected.keys))
    }
}
