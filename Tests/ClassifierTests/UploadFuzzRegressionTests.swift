import Classifier
import Foundation
import Testing

/// Inputs that crashed the `fuzz-upload` harness (Fuzz/), kept in
/// `Tests/Fixtures/fuzz-regressions/upload/`. Each file is what the harness reads: a
/// `Content-Type` value, a newline, then the request body. Each must now end in its typed error.
@Suite struct UploadFuzzRegressionTests {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/fuzz-regressions/upload")
    }()

    /// File → the error it must raise. Both trapped the whole server inside MultipartKit 4.7:
    /// `empty-quoted-boundary` (`boundary=""`) its `precondition(!boundary.isEmpty)`,
    /// `header-name-byte-0x89` (a part header line broken by a bare LF, so the PNG signature
    /// was read as a header name) its 128-entry character table indexed with a byte ≥ 0x80.
    static let expected: [String: MultipartForm.ParseError.Code] = [
        "empty-quoted-boundary": .invalidBoundary,
        "header-name-byte-0x89": .malformedBody,
    ]

    @Test(arguments: expected.keys.sorted())
    func endsInItsTypedError(file: String) throws {
        let input = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(file)))
        let newline = try #require(input.firstIndex(of: 0x0A))
        let boundary = try #require(MultipartForm.boundary(contentType: String(decoding: input[..<newline], as: UTF8.self)))
        #expect {
            try MultipartForm(body: Array(input[(newline + 1)...]), boundary: boundary)
        } throws: { error in
            (error as? MultipartForm.ParseError)?.code == Self.expected[file]
        }
    }

    @Test func everyKeptInputHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(Set(files) == Set(Self.expected.keys))
    }
}
