import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// Reading request bodies within the byte limits.
enum RequestBody {
    /// The whole body, at most `limit` bytes (413 `too_large` beyond).
    static func collect(_ request: inout Request, limit: Int) async throws(APIError) -> [UInt8] {
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "too_large", "The request body is larger than \(limit) bytes; send a smaller image.")
        } catch {
            throw APIError(.badRequest, "invalid_request", "The request body could not be read: \(error).")
        }
    }

    /// The multipart boundary of a `multipart/form-data` content type, or nil for other bodies.
    static func multipartBoundary(_ request: Request) -> String? {
        guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data") else {
            return nil
        }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The parts of a multipart body, in order (400 `invalid_request` when it does not parse).
    static func parts(of body: [UInt8], boundary: String) throws(APIError) -> [UploadedPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [UploadedPart] = []
        var headers: [(String, String)] = []
        var bytes: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in bytes.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            parts.append(UploadedPart(name: parameter("name", in: disposition), filename: parameter("filename", in: disposition), bytes: bytes))
            headers = []
            bytes = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw APIError.invalidRequest("The multipart body does not parse (\(error)); send multipart/form-data with the boundary of the Content-Type header.")
        }
        return parts
    }

    /// The value of `key="value"` in a Content-Disposition header.
    private static func parameter(_ key: String, in disposition: String) -> String? {
        for item in disposition.split(separator: ";") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The image of a classify request: the raw body, or the multipart part named `image`
    /// (or else the first part with a filename).
    static func image(_ request: inout Request, limit: Int) async throws(APIError) -> [UInt8] {
        // Multipart framing adds a few hundred bytes around the image.
        let boundary = multipartBoundary(request)
        let body = try await collect(&request, limit: boundary == nil ? limit : limit + 64 * 1024)
        guard let boundary else { return body }
        let parts = try parts(of: body, boundary: boundary)
        guard let part = parts.first(where: { $0.name == "image" }) ?? parts.first(where: { $0.filename != nil }) else {
            throw APIError.invalidRequest("The multipart body has no 'image' part; send the photo as a part named 'image'.")
        }
        return part.bytes
    }
}
