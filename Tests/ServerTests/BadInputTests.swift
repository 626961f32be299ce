import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every bad input gets its status and error code in the one JSON error shape, and the server
/// still answers afterwards. None of these reaches the model.
@Suite struct BadInputTests {
    @Test(arguments: ServiceSuites.databases)
    func badInputsGetTheirCodes(database kind: String) async throws {
        let rocket = try TestEnvironment.sample("rocket.jpg")
        try await TestDatabase.with(kind) { database in try await TestServer.run(database) { http in
            let cases: [(String, HTTPRequest.Method, String, [UInt8], String, HTTPResponse.Status, String)] = [
                ("empty body", .post, "/v1/classify", [], "image/jpeg", .badRequest, "empty_body"),
                ("truncated JPEG", .post, "/v1/classify", Array(rocket.prefix(2000)), "image/jpeg", .unprocessableContent, "invalid_image"),
                ("text sent as image/jpeg", .post, "/v1/classify", Array("just some text, not a photo\n".utf8), "image/jpeg", .unsupportedMediaType, "unsupported_type"),
                ("PNG bomb", .post, "/v1/classify", PNGBomb.make(width: 50_000, height: 50_000), "image/png", .unprocessableContent, "too_many_pixels"),
                ("unknown model version", .post, "/v1/classify?model_version=no-such-version", rocket, "image/jpeg", .badRequest, "unknown_model_version"),
                ("malformed JSON", .post, "/v1/items", Array("{\"name\": \"x\", ".utf8), "application/json", .badRequest, "invalid_json"),
                ("multipart without image", .post, "/v1/classify", TestHTTP.multipart([("note", nil, Array("hi".utf8))]).body,
                 TestHTTP.multipart([]).contentType, .badRequest, "invalid_request"),
                ("unknown item", .get, "/v1/items/987654", [], "application/json", .notFound, "not_found"),
                ("bad item id", .get, "/v1/items/abc", [], "application/json", .badRequest, "invalid_request"),
                ("unknown route", .get, "/v1/nothing-here", [], "application/json", .notFound, "not_found"),
            ]
            for (name, method, uri, body, contentType, status, code) in cases {
                let answer = try await http.request(method, uri, headers: [.contentType: contentType], body: body)
                #expect(answer.status == status, "\(name): status \(answer.status) body \(answer.text)")
                #expect(answer.errorCode == code, "\(name): body \(answer.text)")
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String
                #expect(message?.isEmpty == false, "\(name): an error carries a message")
                #expect(answer.headers[.init("X-Request-ID")!] != nil, "\(name): every answer names its request")
                #expect(try await http.get("/healthz").status == .ok, "the server answers after \(name)")
            }

            // 11 MB: more than the 10 MB limit, rejected while reading; on its own connection,
            // which the server may close.
            let oversized = [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: 11_000_000)
            let other = TestClient(host: "127.0.0.1", port: http.port, configuration: .init(timeout: .seconds(60)))
            other.connect()
            let answer = try await TestHTTP(client: other, port: http.port, server: http.server, shutdown: http.shutdown).post("/v1/classify", oversized, contentType: "image/jpeg")
            try? await other.shutdown()
            #expect(answer.status == .contentTooLarge)
            #expect(answer.errorCode == "too_large")
            #expect(try await http.get("/healthz").status == .ok)

            // Errors are counted by code.
            let metrics = try await http.get("/metrics").text
            for code in ["empty_body", "invalid_image", "unsupported_type", "too_many_pixels", "unknown_model_version", "invalid_json", "too_large"] {
                #expect(metrics.contains("http_errors_total{code=\"\(code)\"}"), "metrics count \(code)")
            }
        } }
    }
}
