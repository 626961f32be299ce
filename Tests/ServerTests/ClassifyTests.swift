import CNN
import Classifier
import Server
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/classify` on the real model, checked against the ONNX Runtime fixture, then the
/// cache: a repeat is a memory hit with the same answer, and a new instance on the same
/// database finds the prediction in the shared `predictions` table. One forward pass.
@Suite struct ClassifyTests {
    /// The fixture's logits and pooled features for Samples/chelsea.png (ONNX Runtime, see
    /// Tests/Fixtures/models/generate_efficientnet_lite0_reference.py), as softmax
    /// probabilities (Double) and the L2-normalised features.
    static func reference() throws -> (probabilities: [Double], embedding: [Double]) {
        let file = try SafeTensorsFile(contentsOf: TestEnvironment.path("Tests/Fixtures/models/efficientnet_lite0_reference.safetensors"))
        let logits = try file.tensor("chelsea/logits").scalars.map(Double.init)
        let features = try file.tensor("chelsea/features").scalars.map(Double.init)
        let peak = logits.max()!
        let exponentials = logits.map { Foundation.exp($0 - peak) }
        let sum = exponentials.reduce(0, +)
        let norm = features.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return (exponentials.map { $0 / sum }, features.map { $0 / norm })
    }

    @Test(arguments: ServiceSuites.databases)
    func classifyMatchesTheReferenceThenHitsBothCaches(database kind: String) async throws {
        let chelsea = try TestEnvironment.sample("chelsea.png")
        let (probabilities, expectedEmbedding) = try Self.reference()
        // The fixture saw the whole photo resized and centre-cropped: no extra 80% crop here.
        let wholePhoto: @Sendable (inout ServiceConfiguration) -> Void = { $0.quality.centralCropFraction = 1 }
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, configure: wholePhoto) { http in
                let first = try await http.post("/v1/classify?include_embedding=true", chelsea, contentType: "image/png")
                try #require(first.status == .ok, "\(first.text)")
                let json = first.json
                let topK = try #require(json["top_k"] as? [[String: Any]])
                let expectedOrder = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(5)
                #expect(topK.compactMap { $0["index"] as? Int } == Array(expectedOrder))
                for (entry, index) in zip(topK, expectedOrder) {
                    let confidence = try #require(entry["confidence"] as? Double)
                    // Our Float32 runtime vs ONNX Runtime: probabilities agree to 1e-3.
                    #expect(abs(confidence - probabilities[index]) <= 1e-3)
                }
                #expect(json["class"] as? String == "tiger cat")
                let confidence = try #require(json["confidence"] as? Double)
                #expect(json["accepted"] as? Bool == (confidence >= 0.7))
                let embedding = try #require(json["embedding"] as? [Double])
                #expect(embedding.count == 1280)
                let cosine = zip(embedding, expectedEmbedding).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(cosine >= 0.9999, "cosine to the reference embedding \(cosine)")
                #expect(json["cache"] as? String == "miss")
                #expect(json["model_version"] as? String == "lite0")
                #expect(json["sha256"] as? String == UploadValidator.sha256Hex(chelsea))
                let timings = try #require(json["timings_ms"] as? [String: Double])
                for stage in ["validate", "decode", "quality", "preprocess", "infer", "search", "store"] {
                    #expect(timings[stage] != nil, "timing of \(stage)")
                }
                #expect(json["request_id"] as? String == first.headers[HTTPField.Name("X-Request-ID")!])

                // The same bytes as a multipart upload: a memory-cache hit, same answer, no inference.
                let upload = TestHTTP.multipart([("image", "chelsea.png", chelsea)])
                let second = try await http.post("/v1/classify", upload.body, contentType: upload.contentType)
                try #require(second.status == .ok, "\(second.text)")
                #expect(second.json["cache"] as? String == "hit")
                #expect(second.json["class"] as? String == "tiger cat")
                #expect(second.json["confidence"] as? Double == confidence)
                #expect(second.json["embedding"] == nil, "the embedding only on request")
                #expect((second.json["timings_ms"] as? [String: Double])?["infer"] == nil)
                let metrics = try await http.get("/metrics").text
                #expect(metrics.contains(#"classifier_cache_total{layer="memory",result="hit"} 1"#))
                #expect(metrics.contains(#"http_request_duration_seconds_count{route="/v1/classify",method="POST",status="200"} 2"#))
                #expect(metrics.contains("classifier_confidence_bucket"))
                #expect(metrics.contains("classifier_stage_duration_seconds_bucket"))
            }
            // A new instance on the same database: its memory cache is empty, the shared
            // predictions table answers.
            try await TestServer.run(database, configure: wholePhoto) { http in
                let third = try await http.post("/v1/classify", chelsea, contentType: "image/png")
                try #require(third.status == .ok, "\(third.text)")
                #expect(third.json["cache"] as? String == "hit")
                #expect(third.json["class"] as? String == "tiger cat")
                let metrics = try await http.get("/metrics").text
                #expect(metrics.contains(#"classifier_cache_total{layer="store",result="hit"} 1"#))
            }
        }
    }

    @Test(arguments: ServiceSuites.databases)
    func healthReadinessAndMetricsAnswer(database kind: String) async throws {
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database) { http in
                let health = try await http.get("/healthz")
                #expect(health.status == .ok)
                #expect(health.json["status"] as? String == "ok")
                let ready = try await http.get("/readyz")
                #expect(ready.status == .ok)
                #expect(ready.json["model_versions"] as? [String] == ["lite0"])
                #expect(ready.json["index_items"] as? Int == 0)
                #expect(ready.json["database"] as? String == kind)
                let metrics = try await http.get("/metrics")
                #expect(metrics.status == .ok)
                #expect(metrics.text.contains("http_requests_in_flight"))
                #expect(metrics.text.contains(#"http_request_duration_seconds_count{route="/readyz",method="GET",status="200"} 1"#))
            }
        }
    }
}
