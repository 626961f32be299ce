import Foundation
import Server
import Testing

/// `POST /v1/classify/batch`: one forward pass for the cache misses, per-image errors that do
/// not fail the others, every outcome stored in one transaction (seen in the per-version stats).
@Suite struct BatchTests {
    @Test(arguments: ServiceSuites.databases)
    func batchReportsPerImageResultsAndErrors(database kind: String) async throws {
        let coffee = try TestEnvironment.sample("coffee.png")
        let chelsea = try TestEnvironment.sample("chelsea.png")
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database) { http in
                let form = TestHTTP.multipart([
                    ("images", "coffee.png", coffee), ("images", "notes.txt", Array("not an image".utf8)), ("images", "chelsea.png", chelsea),
                ])
                let answer = try await http.post("/v1/classify/batch", form.body, contentType: form.contentType)
                try #require(answer.status == .ok, "\(answer.text)")
                let results = try #require(answer.json["results"] as? [[String: Any]])
                try #require(results.count == 3)
                #expect(results.map { $0["index"] as? Int } == [0, 1, 2])
                let first = try #require(results[0]["result"] as? [String: Any])
                let third = try #require(results[2]["result"] as? [String: Any])
                #expect(first["cache"] as? String == "miss")
                #expect((first["top_k"] as? [Any])?.count == 5)
                #expect(third["model_version"] as? String == "lite0")
                #expect((results[1]["error"] as? [String: Any])?["code"] as? String == "unsupported_type")
                #expect(results[1]["result"] == nil)

                // The batch's images are now cached: a single classify of one of them hits.
                let again = try await http.post("/v1/classify", coffee, contentType: "image/png")
                #expect(again.json["cache"] as? String == "hit")
                #expect(again.json["class"] as? String == first["class"] as? String)

                // Stored: 3 batch outcomes + 1 single request, one error.
                let models = try await http.get("/v1/models")
                let versions = try #require(models.json["versions"] as? [[String: Any]])
                let stats = try #require(versions.first?["stats"] as? [String: Any])
                #expect(stats["requests"] as? Int == 4)
                #expect(stats["errors"] as? Int == 1)
                #expect(abs((stats["error_rate"] as? Double ?? 0) - 0.25) < 1e-9)

                // Too many images, and a body that is not multipart.
                let many = TestHTTP.multipart((0..<17).map { ("images", "x\($0).png", coffee) })
                let tooMany = try await http.post("/v1/classify/batch", many.body, contentType: many.contentType)
                #expect(tooMany.errorCode == "batch_too_large")
                let raw = try await http.post("/v1/classify/batch", coffee, contentType: "image/png")
                #expect(raw.errorCode == "invalid_request")
            }
        }
    }
}
