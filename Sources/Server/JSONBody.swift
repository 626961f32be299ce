import Foundation
import HTTPTypes
import Hummingbird

/// JSON responses and request bodies (UTF-8, sorted keys so answers are reproducible).
enum JSONBody {
    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal","message":"The response could not be encoded."}}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes `T` from `bytes`, or 400 `invalid_json` naming the problem.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(APIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw APIError(.badRequest, .invalidJSON, "The body is not the expected JSON (\(error)); send a JSON object as documented in Docs/Service.md.")
        }
    }
}
