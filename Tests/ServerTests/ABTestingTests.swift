import Classifier
import Foundation
import HTTPTypes
import Server
import Testing

/// Two model versions at 50/50: sticky routing by client key, explicit version choice,
/// per-version statistics and metric labels. Two forward passes (one image, two versions).
@Suite struct ABTestingTests {
    @Test(arguments: ServiceSuites.databases)
    func routesStickilyAndRecordsEachVersion(database kind: String) async throws {
        let registry = try TestEnvironment.registry([("a", 50), ("b", 50)])
        // Client keys the router sends to each version (the split itself is tested in ABRouterTests).
        let keys = (0..<100).map { "client-\($0)" }
        let keyA = keys.first { registry.router.route(clientKey: $0) == "a" } ?? ""
        let keyB = keys.first { registry.router.route(clientKey: $0) == "b" } ?? ""
        try #require(!keyA.isEmpty && !keyB.isEmpty)
        let rocket = try TestEnvironment.sample("rocket.jpg")
        let client = HTTPField.Name("X-Client-ID")!
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, registry: registry) { http in
                let first = try await http.post("/v1/classify", rocket, contentType: "image/jpeg", headers: [client: keyA])
                try #require(first.status == .ok, "\(first.text)")
                #expect(first.json["model_version"] as? String == "a")
                #expect(first.json["cache"] as? String == "miss")
                let second = try await http.post("/v1/classify", rocket, contentType: "image/jpeg", headers: [client: keyB])
                #expect(second.json["model_version"] as? String == "b")
                #expect(second.json["cache"] as? String == "miss", "the cache key includes the version")
                let again = try await http.post("/v1/classify", rocket, contentType: "image/jpeg", headers: [client: keyA])
                #expect(again.json["model_version"] as? String == "a", "sticky")
                #expect(again.json["cache"] as? String == "hit")
                let forced = try await http.post("/v1/classify?model_version=b", rocket, contentType: "image/jpeg", headers: [client: keyA])
                #expect(forced.json["model_version"] as? String == "b")
                let header = try await http.post("/v1/classify", rocket, contentType: "image/jpeg", headers: [client: keyA, .init("X-Model-Version")!: "b"])
                #expect(header.json["model_version"] as? String == "b")

                let models = try await http.get("/v1/models")
                let versions = try #require(models.json["versions"] as? [[String: Any]])
                #expect(versions.map { $0["id"] as? String } == ["a", "b"])
                #expect(versions.map { $0["traffic"] as? Double } == [50, 50])
                let requests = versions.map { ($0["stats"] as? [String: Any])?["requests"] as? Int }
                #expect(requests == [2, 3])
                let metrics = try await http.get("/metrics").text
                #expect(metrics.contains(#"classifier_predictions_total{model_version="a",outcome="ok"} 2"#))
                #expect(metrics.contains(#"classifier_predictions_total{model_version="b",outcome="ok"} 3"#))
            }
        }
    }
}
