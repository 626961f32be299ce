import Foundation
import HTTPTypes
import Server
import Testing

/// The collection endpoints, similar items in classifications, and the index after a restart
/// (loaded from its snapshot when it matches the table, rebuilt from the table when not).
/// Three forward passes (one per registered photo, one to classify a registered photo).
@Suite struct ItemTests {
    @Test(arguments: ServiceSuites.databases)
    func registerFindSimilarDeleteAndRestart(database kind: String) async throws {
        let rocket = try TestEnvironment.sample("rocket.jpg")
        let coffee = try TestEnvironment.sample("coffee.png")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let snapshot = directory.appendingPathComponent("items.hnsw").path
        let withSnapshot: @Sendable (inout ServiceConfiguration) -> Void = { $0.indexSnapshot = snapshot }
        try await TestDatabase.with(kind) { database in
            let (rocketID, coffeeID) = try await TestServer.run(database, configure: withSnapshot) { http in
                // Multipart registration.
                let form = TestHTTP.multipart([("name", nil, Array("Saturn V".utf8)), ("category", nil, Array("rockets".utf8)), ("image", "rocket.jpg", rocket)])
                let created = try await http.post("/v1/items", form.body, contentType: form.contentType)
                try #require(created.status == .created, "\(created.text)")
                let rocketID = try #require(created.json["id"] as? Int)
                #expect(created.json["name"] as? String == "Saturn V")
                #expect(created.json["model_version"] as? String == "lite0")

                // JSON registration.
                let json = try JSONSerialization.data(withJSONObject: [
                    "name": "Espresso cup", "category": "tableware", "image_base64": Data(coffee).base64EncodedString(),
                ])
                let second = try await http.post("/v1/items", [UInt8](json), contentType: "application/json")
                try #require(second.status == .created, "\(second.text)")
                let coffeeID = try #require(second.json["id"] as? Int)

                let shown = try await http.get("/v1/items/\(rocketID)?include_embedding=true")
                #expect(shown.status == .ok)
                #expect(shown.json["category"] as? String == "rockets")
                #expect((shown.json["embedding"] as? [Double])?.count == 1280)

                let similar = try await http.get("/v1/items/\(rocketID)/similar?k=3")
                #expect(similar.status == .ok)
                let neighbours = try #require(similar.json["similar_items"] as? [[String: Any]])
                #expect(neighbours.map { $0["id"] as? Int } == [coffeeID], "the item itself is left out")

                // Classifying a registered photo: its nearest item is itself. A miss: a
                // registration writes no prediction row, so it does not fill the cache (Docs/CrashSafety.md).
                let classified = try await http.post("/v1/classify", rocket, contentType: "image/jpeg")
                try #require(classified.status == .ok, "\(classified.text)")
                #expect(classified.json["cache"] as? String == "miss")
                let items = try #require(classified.json["similar_items"] as? [[String: Any]])
                #expect(items.first?["id"] as? Int == rocketID)
                #expect(items.first?["name"] as? String == "Saturn V")
                #expect(items.first?["category"] as? String == "rockets")
                #expect(abs(items.first?["distance"] as? Double ?? 1) < 1e-4, "cosine distance of a vector to itself")
                #expect(items.count == 2)
                return (rocketID, coffeeID)
            }

            // Restart: the snapshot matches the table and is loaded; then delete an item.
            try await TestServer.run(database, configure: withSnapshot) { http in
                #expect(try await http.get("/readyz").json["index_items"] as? Int == 2)
                let deleted = try await http.request(.delete, "/v1/items/\(coffeeID)")
                #expect(deleted.status == .noContent)
                #expect(try await http.get("/v1/items/\(coffeeID)").status == .notFound)
                #expect(try await http.request(.delete, "/v1/items/\(coffeeID)").status == .notFound)
                #expect(try await http.get("/readyz").json["index_items"] as? Int == 1)
                let similar = try await http.get("/v1/items/\(rocketID)/similar")
                #expect((similar.json["similar_items"] as? [Any])?.isEmpty == true)
            }

            // Restart with a stale snapshot (it no longer matches the table): rebuilt from the table.
            try FileManager.default.removeItem(atPath: snapshot)
            try await TestServer.run(database) { http in
                let ready = try await http.get("/readyz")
                #expect(ready.json["index_items"] as? Int == 1)
                let item = try await http.get("/v1/items/\(rocketID)")
                #expect(item.status == .ok)
            }
        }
    }
}
