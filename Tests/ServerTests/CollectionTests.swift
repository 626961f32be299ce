import Classifier
import CollectionLearning
import Foundation
import HTTPTypes
import Models
import Server
import Testing

/// A collector's session over real HTTP, on SQLite and PostgreSQL: items registered in three
/// categories from photos, an unregistered photo classified into the right category by the
/// nearest-items vote, feedback and the accuracy it gives per version, a head trained through
/// the API and routed 50/50 against the vote, and the trained version loaded again at restart.
/// The photos are crops of three public-domain photos (Samples/collection, made by Tests/Fixtures/collection/make_photos.py):
/// 1–4 of each category are registered, 5–6 never are.
@Suite struct CollectionTests {
    static let categories = ["cats", "cups", "rockets"]

    static func photo(_ category: String, _ number: Int) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: TestEnvironment.root.appendingPathComponent("Samples/collection/\(category)/\(category)-\(number).jpg")))
    }

    /// One version, `items`, answering with the nearest-items vote over the shared Lite0.
    static func registry() throws -> ModelRegistry {
        let spec = ModelVersionSpec(
            id: "items", architecture: "efficientnet-lite0", weights: "Weights/efficientnet-lite0.safetensors", labels: "Weights/imagenet-labels.txt",
            classifier: .nearestItems(k: 5), traffic: 100)
        return try ModelRegistry(versions: [ModelVersion(spec: spec, model: try TestEnvironment.lite0.get(), classifier: .nearestItems(try NearestItemsVote(k: 5)))])
    }

    static func register(_ http: TestHTTP, _ category: String, _ number: Int) async throws {
        let form = TestHTTP.multipart([
            ("name", nil, Array("\(category) \(number)".utf8)), ("category", nil, Array(category.utf8)), ("image", "\(category).jpg", try photo(category, number)),
        ])
        let created = try await http.post("/v1/items", form.body, contentType: form.contentType)
        try #require(created.status == .created, "\(category)-\(number): \(created.text)")
    }

    /// Heads in `heads`; a blur minimum the crops of the (soft) cat photo pass — their variance
    /// of the Laplacian is 28–90 where the default asks for 100.
    static func configure(_ configuration: inout ServiceConfiguration, heads: URL) {
        configuration.headsDirectory = heads.path
        configuration.quality.minimumBlurScore = 15
    }

    static func json(_ object: [String: Any]) throws -> [UInt8] { [UInt8](try JSONSerialization.data(withJSONObject: object)) }

    static func version(_ http: TestHTTP, _ id: String) async throws -> [String: Any]? {
        let models = try await http.get("/v1/models")
        return (models.json["versions"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    @Test(arguments: ServiceSuites.databases)
    func collectorSession(database kind: String) async throws {
        let heads = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: heads) }
        let configure: @Sendable (inout ServiceConfiguration) -> Void = { Self.configure(&$0, heads: heads) }
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, registry: try Self.registry(), configure: configure) { http in
                // Before any item: the vote has nothing to vote with.
                let early = try await http.post("/v1/classify", try Self.photo("cats", 5), contentType: "image/jpeg")
                #expect(early.status == .conflict && early.errorCode == "empty_collection", "\(early.text)")

                for category in Self.categories {
                    for number in 1...4 { try await Self.register(http, category, number) }
                }
                // A category name the collection cannot hold.
                let longName = TestHTTP.multipart([
                    ("name", nil, Array("x".utf8)), ("category", nil, Array(String(repeating: "c", count: 201).utf8)),
                    ("image", "c.jpg", try Self.photo("cats", 1)),
                ])
                let refused = try await http.post("/v1/items", longName.body, contentType: longName.contentType)
                #expect(refused.status == .badRequest && refused.errorCode == "invalid_category", "\(refused.text)")

                // Photos never registered: the right category, with similar items of the collection.
                var requestIDs: [String: String] = [:]
                for category in Self.categories {
                    let answer = try await http.post("/v1/classify", try Self.photo(category, 5), contentType: "image/jpeg")
                    try #require(answer.status == .ok, "\(answer.text)")
                    #expect(answer.json["class"] as? String == category, "\(category)-5: \(answer.text)")
                    #expect(answer.json["classifier"] as? String == "nearest-items")
                    #expect((answer.json["top_k"] as? [[String: Any]])?.allSatisfy { Self.categories.contains($0["label"] as? String ?? "") } == true)
                    #expect((answer.json["imagenet_top_k"] as? [[String: Any]])?.count == 5)
                    let similar = try #require(answer.json["similar_items"] as? [[String: Any]])
                    #expect(similar.first?["category"] as? String == category)
                    requestIDs[category] = answer.json["request_id"] as? String
                }

                // Feedback: a wrong answer first, then the right one replaces it; an unknown id is 404.
                let cats = try #require(requestIDs["cats"])
                let wrong = try await http.post("/v1/predictions/\(cats)/feedback", try Self.json(["category": "cups"]), contentType: "application/json")
                #expect(wrong.status == .ok && wrong.json["correct"] as? Bool == false, "\(wrong.text)")
                for category in Self.categories {
                    let given = try await http.post(
                        "/v1/predictions/\(requestIDs[category]!)/feedback", try Self.json(["category": category]), contentType: "application/json")
                    #expect(given.status == .ok && given.json["correct"] as? Bool == true, "\(given.text)")
                    #expect(given.json["model_version"] as? String == "items")
                }
                let unknown = try await http.post("/v1/predictions/no-such-request/feedback", try Self.json(["category": "cats"]), contentType: "application/json")
                #expect(unknown.status == .notFound, "\(unknown.text)")
                let empty = try await http.post("/v1/predictions/\(cats)/feedback", try Self.json(["category": "  "]), contentType: "application/json")
                #expect(empty.status == .badRequest && empty.errorCode == "invalid_category")
                let stats = try #require(try await Self.version(http, "items")?["stats"] as? [String: Any])
                #expect(stats["feedback"] as? Int == 3, "one answer per image, the second replacing the first: \(stats)")
                #expect(stats["accuracy"] as? Double == 1.0, "\(stats)")
                let metrics = try await http.get("/metrics")
                #expect(metrics.text.contains(#"classifier_accuracy{model_version="items"} 1"#), "\(metrics.text.split(separator: "\n").filter { $0.contains("accuracy") })")

                // A head trained through the API from the items table, routed 50/50 with the vote.
                let trainBody = try Self.json(["version": "head-1", "traffic": 100, "hidden_units": 64, "max_epochs": 80])
                let accepted = try await http.post("/v1/models/items/train", trainBody, contentType: "application/json")
                try #require(accepted.status == .accepted, "\(accepted.text)")
                let job = try #require(accepted.json["id"] as? String)
                #expect(accepted.headers[.location] == "/v1/training-jobs/\(job)")
                let again = try await http.post("/v1/models/items/train", trainBody, contentType: "application/json")
                #expect(again.status == .conflict && again.errorCode == "version_exists", "a second job for the same id: \(again.text)")
                var status = ""
                try await Waiting.until("the training job ends") {
                    status = (try? await http.get("/v1/training-jobs/\(job)").json["status"] as? String) ?? ""
                    return status == "succeeded" || status == "failed"
                }
                let finished = try await http.get("/v1/training-jobs/\(job)")
                try #require(status == "succeeded", "\(finished.text)")
                let head = try #require(try await Self.version(http, "head-1"))
                #expect(head["classifier"] as? String == "head" && head["backbone"] as? String == "items" && head["traffic"] as? Double == 100)

                for category in Self.categories {
                    for number in 5...6 {
                        let answer = try await http.post("/v1/classify?model_version=head-1", try Self.photo(category, number), contentType: "image/jpeg")
                        try #require(answer.status == .ok, "\(answer.text)")
                        #expect(answer.json["class"] as? String == category, "head on \(category)-\(number): \(answer.text)")
                        #expect(answer.json["classifier"] as? String == "head")
                        #expect((answer.json["similar_items"] as? [[String: Any]])?.isEmpty == false, "the head's version shares the items")
                    }
                }
                var answeredBy = Set<String>()
                for client in 0..<16 {
                    let answer = try await http.post(
                        "/v1/classify", try Self.photo("rockets", 6), contentType: "image/jpeg", headers: [HTTPField.Name("X-Client-ID")!: "collector-\(client)"])
                    try #require(answer.status == .ok, "\(answer.text)")
                    #expect(answer.json["class"] as? String == "rockets")
                    #expect((answer.json["similar_items"] as? [[String: Any]])?.isEmpty == false)
                    answeredBy.insert(answer.json["model_version"] as? String ?? "")
                }
                #expect(answeredBy == ["items", "head-1"], "both versions answer under a 50/50 split")
            }
            // A restart loads the trained version again from the database and its head file.
            try await TestServer.run(database, registry: try Self.registry(), configure: configure) { http in
                let head = try #require(try await Self.version(http, "head-1"), "the trained version survives a restart")
                #expect(head["classifier"] as? String == "head")
                let answer = try await http.post("/v1/classify?model_version=head-1", try Self.photo("cups", 6), contentType: "image/jpeg")
                #expect(answer.json["class"] as? String == "cups", "\(answer.text)")
            }
        }
    }

    @Test(arguments: ServiceSuites.databases)
    func trainingThatCannotTeachChangesNothing(database kind: String) async throws {
        let heads = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: heads) }
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, registry: try Self.registry(), configure: { Self.configure(&$0, heads: heads) }) { http in
                let body = try Self.json(["version": "head-1"])
                let none = try await http.post("/v1/models/items/train", body, contentType: "application/json")
                #expect(none.status == .conflict && none.errorCode == "insufficient_training_data", "no items: \(none.text)")
                try await Self.register(http, "cats", 1)
                try await Self.register(http, "cats", 2)
                let one = try await http.post("/v1/models/items/train", body, contentType: "application/json")
                #expect(one.status == .conflict && one.errorCode == "insufficient_training_data", "one category: \(one.text)")
                #expect(one.text.contains("cats"))
                let unknownBase = try await http.post("/v1/models/nope/train", body, contentType: "application/json")
                #expect(unknownBase.status == .notFound && unknownBase.errorCode == "unknown_model_version")
                let badOptions = try await http.post(
                    "/v1/models/items/train", try Self.json(["version": "head-1", "hidden_units": 0]), contentType: "application/json")
                #expect(badOptions.status == .badRequest && badOptions.errorCode == "invalid_options", "\(badOptions.text)")
                let models = try await http.get("/v1/models")
                #expect((models.json["versions"] as? [[String: Any]])?.map { $0["id"] as? String } == ["items"])
                #expect((try? FileManager.default.contentsOfDirectory(atPath: heads.path))?.isEmpty ?? true, "no head file written")
            }
        }
    }

    /// A version on another backbone (the random-weight MobileNetV2 of the model fixtures) gets
    /// its own index: registration embeds each photo under both backbones, the other backbone's
    /// answers carry its own similar items (a registered photo is its own nearest item), a
    /// restart rebuilds that index from `item_embeddings`, and a deletion leaves both.
    @Test(arguments: ServiceSuites.databases)
    func versionOnAnotherBackboneHasItsOwnIndex(database kind: String) async throws {
        let heads = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: heads) }
        let mobileNet = try ImageModel.mobileNetV2(weights: TestEnvironment.path("Tests/Fixtures/models/mobilenetv2_head_f16.safetensors"))
        let spec = ModelVersionSpec(
            id: "mnv2", architecture: "mobilenetv2", weights: "Tests/Fixtures/models/mobilenetv2_head_f16.safetensors", labels: nil,
            classifier: .nearestItems(k: 3), traffic: 0)
        let registry = try ModelRegistry(
            versions: try Self.registry().versions + [ModelVersion(spec: spec, model: mobileNet, classifier: .nearestItems(try NearestItemsVote(k: 3)))])
        #expect(registry.versions.map(\.backbone) == ["items", "mnv2"])
        try await TestDatabase.with(kind) { database in
            let cupID = try await TestServer.run(database, registry: registry, configure: { Self.configure(&$0, heads: heads) }) { http in
                for category in Self.categories { try await Self.register(http, category, 1) }
                let answer = try await http.post("/v1/classify?model_version=mnv2", try Self.photo("cups", 1), contentType: "image/jpeg")
                try #require(answer.status == .ok, "\(answer.text)")
                #expect(answer.json["classifier"] as? String == "nearest-items")
                let similar = try #require(answer.json["similar_items"] as? [[String: Any]])
                #expect(similar.count == 3, "the other backbone's index holds the three items")
                #expect(similar.first?["category"] as? String == "cups")
                #expect(abs(similar.first?["distance"] as? Double ?? 1) < 1e-4, "a registered photo is its own nearest item under this backbone too")
                return try #require(similar.first?["id"] as? Int)
            }
            try await TestServer.run(database, registry: registry, configure: { Self.configure(&$0, heads: heads) }) { http in
                let answer = try await http.post("/v1/classify?model_version=mnv2", try Self.photo("cups", 1), contentType: "image/jpeg")
                let similar = try #require(answer.json["similar_items"] as? [[String: Any]], "\(answer.text)")
                #expect(similar.count == 3 && similar.first?["id"] as? Int == cupID, "rebuilt from item_embeddings at start")
                let deleted = try await http.request(.delete, "/v1/items/\(cupID)")
                #expect(deleted.status == .noContent)
                for version in ["items", "mnv2"] {
                    let after = try await http.post("/v1/classify?model_version=\(version)", try Self.photo("cups", 1), contentType: "image/jpeg")
                    let ids = (after.json["similar_items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? []
                    #expect(ids.count == 2 && !ids.contains(cupID), "\(version): the deleted item is gone from its index")
                }
            }
        }
    }
}
