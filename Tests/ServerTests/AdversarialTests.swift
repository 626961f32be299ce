import Classifier
import Foundation
import HTTPTypes
import Server
import Testing

/// The adversarial policy over HTTP, on a PGD example (ε = 8/255) and its clean crop from
/// Tests/Fixtures/adversarial/upload: 320×320 PNGs that the default framing (central 80 % =
/// 256², no resampling at short side 256, centre 224²) maps exactly onto the crops TensorFlow
/// attacked. Their TensorFlow scores (manifest `uploads`: clean 0.09, PGD 1.98) are far from
/// the default threshold on either side, so the expectations do not hang on rounding; the
/// expected classes are TensorFlow's. (This checks the plumbing; the upload is the evaluation
/// source with the largest PGD score gain, chosen for that — detection rates are in
/// Docs/Adversarial.md and FeatureSqueezingTests.)
@Suite struct AdversarialTests {
    struct Upload: Decodable {
        let file: String
        let attack: String
        let predictedLabel: String

        enum CodingKeys: String, CodingKey { case file, attack, predictedLabel = "predicted_label" }
    }

    struct Manifest: Decodable { let uploads: [Upload] }

    /// The bytes and TensorFlow's class of the clean or PGD upload.
    static func upload(_ attack: String) throws -> (bytes: [UInt8], label: String) {
        let directory = TestEnvironment.path("Tests/Fixtures/adversarial")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json")))
        let upload = try #require(manifest.uploads.first { $0.attack == attack })
        return (try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + upload.file))), upload.predictedLabel)
    }

    static func mode(_ mode: AdversarialPolicy.Mode) -> @Sendable (inout ServiceConfiguration) -> Void {
        { $0.adversarial.mode = mode }
    }

    @Test(arguments: ServiceSuites.databases)
    func warnFlagsThePGDExampleOnly(database kind: String) async throws {
        let adversarial = try Self.upload("pgd")
        let clean = try Self.upload("clean")
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, configure: Self.mode(.warn)) { http in
                let flagged = try await http.post("/v1/classify", adversarial.bytes, contentType: "image/png")
                try #require(flagged.status == .ok, "\(flagged.text)")
                #expect(flagged.json["adversarial_suspected"] as? Bool == true, "\(flagged.text)")
                let score = try #require(flagged.json["adversarial_score"] as? Double)
                #expect(score > Double(FeatureSqueezingDetector.defaultThreshold))
                #expect(flagged.json["class"] as? String == adversarial.label)

                let passed = try await http.post("/v1/classify", clean.bytes, contentType: "image/png")
                try #require(passed.status == .ok, "\(passed.text)")
                #expect(passed.json["adversarial_suspected"] as? Bool == false, "\(passed.text)")
                #expect(passed.json["class"] as? String == clean.label)
            }
        }
    }

    @Test(arguments: ServiceSuites.databases)
    func rejectRefusesThePGDExampleAlsoFromTheCache(database kind: String) async throws {
        let adversarial = try Self.upload("pgd").bytes
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database, configure: Self.mode(.reject)) { http in
                for attempt in ["fresh", "cached"] {
                    let answer = try await http.post("/v1/classify", adversarial, contentType: "image/png")
                    #expect(answer.status == .unprocessableContent, "\(attempt): \(answer.text)")
                    #expect(answer.errorCode == "adversarial_suspected", "\(attempt): \(answer.text)")
                }
            }
        }
    }

    @Test(arguments: ServiceSuites.databases)
    func offAddsNoFields(database kind: String) async throws {
        let adversarial = try Self.upload("pgd").bytes
        try await TestDatabase.with(kind) { database in
            try await TestServer.run(database) { http in
                let answer = try await http.post("/v1/classify", adversarial, contentType: "image/png")
                try #require(answer.status == .ok, "\(answer.text)")
                #expect(answer.json["adversarial_suspected"] == nil && answer.json["adversarial_score"] == nil, "\(answer.text)")
            }
        }
    }
}
