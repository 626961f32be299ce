import Classifier
import Imaging

/// libFuzzer entry point for the upload path of `/v1/classify`. The input is a `Content-Type`
/// value, a newline, then the request body. Runs what the service runs before decoding: the
/// boundary parse, the multipart parse, the choice of the image part (or the raw body when the
/// content type is not multipart), then `UploadValidator` (size, magic bytes, SHA-256).
/// Decoding itself is fuzzed by `fuzz-jpeg` and `fuzz-png`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUpload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let newline = input.firstIndex(of: 0x0A) ?? size
    let contentType = String(decoding: input[0..<newline], as: UTF8.self)
    let body = Array(input[min(newline + 1, size)...])
    var image = body
    if let boundary = MultipartForm.boundary(contentType: contentType) {
        guard let form = try? MultipartForm(body: body, boundary: boundary), let part = form.imagePart else { return 0 }
        precondition(form.parts.reduce(0) { $0 + $1.bytes.count } <= body.count, "parts hold more bytes than the body")
        image = part.bytes
    }
    if let upload = try? UploadValidator(maxBytes: 1 << 20).validate(image) {
        precondition(upload.sha256.utf8.count == 64 && ImageFormat(sniffing: upload.bytes) == upload.format, "validated upload is inconsistent")
    }
    return 0
}
