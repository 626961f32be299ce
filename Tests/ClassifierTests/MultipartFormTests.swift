import Classifier
import Testing

/// `multipart/form-data` parsing (RFC 7578 / RFC 2046 §5.1.1): the boundary parameter, the
/// parts and their `Content-Disposition` names, and the typed errors for bad bodies.
@Suite struct MultipartFormTests {
    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"),
        ("multipart/form-data;boundary=\"a b\"", "a b"),
        ("Multipart/Form-Data; charset=utf-8; Boundary=XyZ", "XyZ"),
        ("multipart/form-data; boundary=\"\"", ""),
    ] as [(String, String?)])
    func readsTheBoundary(contentType: String, boundary: String?) {
        #expect(MultipartForm.boundary(contentType: contentType) == boundary)
    }

    @Test(arguments: ["image/jpeg", "multipart/form-data", "multipart/mixed; boundary=abc", "multipart/form-dataX; boundary=abc", ""])
    func hasNoBoundaryFor(contentType: String) {
        #expect(MultipartForm.boundary(contentType: contentType) == nil)
    }

    /// A body written out by hand from RFC 7578 §4: a text field, then a file with binary bytes
    /// that contain CR, LF and dashes (which must stay part of the data).
    @Test func splitsPartsWithNamesAndFilenames() throws {
        let file: [UInt8] = [0xFF, 0xD8, 0xFF, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0x0D]
        let body: [UInt8] = Array("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
            + Array("--XyZ\r\nContent-Type: image/jpeg\r\ncontent-disposition: form-data; name=photo; filename=\"a.jpg\"\r\n\r\n".utf8)
            + file + Array("\r\n--XyZ--\r\n".utf8)
        let form = try MultipartForm(body: body, boundary: "XyZ")
        #expect(form.parts == [
            MultipartForm.Part(name: "note", filename: nil, bytes: Array("hello".utf8)),
            MultipartForm.Part(name: "photo", filename: "a.jpg", bytes: file),
        ])
        #expect(form.imagePart?.name == "photo")
    }

    @Test func prefersThePartNamedImage() throws {
        let body = Array(
            ("--b\r\nContent-Disposition: form-data; name=\"other\"; filename=\"x.png\"\r\n\r\n1\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n2\r\n--b--\r\n").utf8)
        #expect(try MultipartForm(body: body, boundary: "b").imagePart?.bytes == Array("2".utf8))
        let noFile = Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n".utf8)
        #expect(try MultipartForm(body: noFile, boundary: "b").imagePart == nil)
    }

    @Test(arguments: [
        ("", MultipartForm.ParseError.Code.invalidBoundary),
        (String(repeating: "b", count: 71), .invalidBoundary),
        ("b", .malformedBody),
    ])
    func rejects(boundary: String, code: MultipartForm.ParseError.Code) {
        // A header line without a colon after the opening boundary breaks the syntax.
        let body = Array("--b\r\nno colon here\r\n\r\ndata\r\n--b--\r\n".utf8)
        #expect {
            try MultipartForm(body: body, boundary: boundary)
        } throws: { error in
            (error as? MultipartForm.ParseError)?.code == code
        }
    }
}
