/// One file or field of a request: the raw body, or a part of a `multipart/form-data` body.
struct UploadedPart: Sendable {
    var name: String?
    var filename: String?
    var bytes: [UInt8]
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
