import Classifier
import HTTPTypes
import Hummingbird

/// Reading request bodies within the byte limits.
enum RequestBody {
    /// The whole body, at most `limit` bytes (413 `too_large` beyond).
    static func collect(_ request: inout Request, limit: Int) async throws(APIError) -> [UInt8] {
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, .tooLarge, "The request body is larger than \(limit) bytes; send a smaller image.")
        } catch {
            throw APIError(.badRequest, .invalidRequest, "The request body could not be read: \(error).")
        }
    }

    /// The multipart boundary of a `multipart/form-data` content type, or nil for other bodies.
    static func multipartBoundary(_ request: Request) -> String? {
        request.headers[.contentType].flatMap { MultipartForm.boundary(contentType: $0) }
    }

    /// The parts of a multipart body, in order (400 `invalid_request` when it does not parse).
    static func parts(of body: [UInt8], boundary: String) throws(APIError) -> [UploadedPart] {
        do {
            return try MultipartForm(body: body, boundary: boundary).parts.map {
                UploadedPart(name: $0.name, filename: $0.filename, bytes: $0.bytes)
            }
        } catch {
            throw APIError.invalidRequest(error.message)
        }
    }

    /// The image of a classify request: the raw body, or the multipart part named `image`
    /// (or else the first part with a filename).
    static func image(_ request: inout Request, limit: Int) async throws(APIError) -> [UInt8] {
        // Multipart framing adds a few hundred bytes around the image.
        let boundary = multipartBoundary(request)
        let body = try await collect(&request, limit: boundary == nil ? limit : limit + 64 * 1024)
        guard let boundary else { return body }
        let form: MultipartForm
        do {
            form = try MultipartForm(body: body, boundary: boundary)
        } catch {
            throw APIError.invalidRequest(error.message)
        }
        guard let part = form.imagePart else {
            throw APIError.invalidRequest("The multipart body has no 'image' part; send the photo as a part named 'image'.")
        }
        return part.bytes
    }
}

/// Reading query parameters: a value that is present but malformed is a 400
/// `invalid_request`, never silently read as the default.
enum RequestQuery {
    /// `true` or `false`; absent: false.
    static func flag(_ name: String, of request: Request) throws(APIError) -> Bool {
        switch request.uri.queryParameters.get(name) {
        case nil, "false": false
        case "true": true
        case let value?: throw APIError.invalidRequest("'\(name)' must be true or false, not '\(value)'.")
        }
    }

    /// An integer; absent: nil.
    static func integer(_ name: String, of request: Request) throws(APIError) -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text) else { throw APIError.invalidRequest("'\(name)' must be an integer, not '\(text)'.") }
        return value
    }
}
