import Classifier
import Testing

/// Magic-byte sniffing, the byte limit and the SHA-256 (against the FIPS 180-2 test vectors).
@Suite struct UploadValidatorTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(UploadValidator.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(UploadValidator.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func acceptsJPEGAndPNGByMagicBytes() throws {
        let validator = UploadValidator(maxBytes: 100)
        #expect(try validator.validate([0xFF, 0xD8, 0xFF, 0xE0, 0]).format == .jpeg)
        #expect(try validator.validate([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).format == .png)
    }

    @Test(arguments: [
        ([UInt8](), ClassifierError.Code.emptyBody),
        (Array("hello, this is text".utf8), .unsupportedType),
        (Array("GIF89a......".utf8), .unsupportedType),
        ([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: 98), .tooLarge),
    ])
    func rejects(bytes: [UInt8], code: ClassifierError.Code) {
        #expect(throws: ClassifierError.self) { try UploadValidator(maxBytes: 100).validate(bytes) }
        do {
            _ = try UploadValidator(maxBytes: 100).validate(bytes)
        } catch {
            #expect(error.code == code)
        }
    }
}
