import Foundation
import HTTPTypes
import Server
import Testing

/// The OpenAPI document (`OpenAPIDocument`, served at `GET /openapi.json`) is the API's
/// contract: it is valid JSON of version 3.1.x, its operations are exactly the router's routes,
/// its error `code` enum is `APIError.Code.allCases`, and the server's real answers — successes
/// included, which the schemathesis run of `Deploy/api_contract.sh` can hardly reach with
/// generated photos — match the schemas it gives for their route and status. Two forward passes.
@Suite struct OpenAPITests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    @Test func documentListsExactlyTheRoutesAndErrorCodes() async throws {
        try await TestDatabase.with("sqlite") { database in try await TestServer.run(database) { http in
            let answer = try await http.get("/openapi.json")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(answer.text == OpenAPIDocument.json)
            let document = try OpenAPIDocumentValue(answer.body)
            let version = try #require(document.root["openapi"]?.string)
            #expect(version.hasPrefix("3.1."), "OpenAPI 3.1.x, not \(version)")

            let routes = Set(http.server.router().routes.map { "\($0.method.rawValue) \($0.path)" })
            let paths = try #require(document.root["paths"]?.object)
            var operations: Set<String> = []
            for (path, item) in paths {
                for method in Self.methods where item[method] != nil { operations.insert("\(method.uppercased()) \(path)") }
            }
            #expect(routes.count >= 11)
            #expect(routes.subtracting(operations).isEmpty, "routes missing from the document: \(routes.subtracting(operations).sorted())")
            #expect(operations.subtracting(routes).isEmpty, "documented operations the router lacks: \(operations.subtracting(routes).sorted())")
            #expect(operations.contains("GET /openapi.json"))

            let codes = try #require(document.schema(named: "ErrorDetail")["properties"]?["code"]?["enum"]?.array).compactMap(\.string)
            #expect(codes.count == Set(codes).count, "no code listed twice")
            #expect(Set(codes) == Set(APIError.Code.allCases.map(\.rawValue)))

            // Every operation answers 500 in the error shape, and every 503 says when to retry.
            for (path, item) in paths {
                for method in Self.methods {
                    guard let responses = item[method]?["responses"]?.object else { continue }
                    #expect(responses["500"] != nil, "\(method) \(path) lists 500")
                    if let unavailable = responses["503"] {
                        #expect(document.resolve(unavailable)["headers"]?["Retry-After"] != nil, "\(method) \(path): 503 has Retry-After")
                    }
                }
            }
        } }
    }

    @Test(arguments: ServiceSuites.databases)
    func realAnswersMatchTheirSchemas(database kind: String) async throws {
        let rocket = try TestEnvironment.sample("rocket.jpg")
        let coffee = try TestEnvironment.sample("coffee.png")
        let heads = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-heads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: heads) }
        try await TestDatabase.with(kind) { database in try await TestServer.run(database, configure: { $0.headsDirectory = heads.path }) { http in
            let document = try OpenAPIDocumentValue(try await http.get("/openapi.json").body)
            func check(_ answer: TestHTTP.Answer, _ method: String, _ path: String, _ status: Int) throws {
                #expect(answer.status.code == status, "\(method) \(path): \(answer.status) \(answer.text)")
                let response = try #require(
                    document.root["paths"]?[path]?[method]?["responses"]?[String(status)].map(document.resolve),
                    "\(method) \(path) documents \(status)")
                for (name, header) in response["headers"]?.object ?? [:] where document.resolve(header)["required"]?.bool == true {
                    #expect(answer.headers[HTTPField.Name(name)!] != nil, "\(method) \(path) \(status): header \(name)")
                }
                guard let content = response["content"]?.object else {
                    #expect(answer.body.isEmpty, "\(method) \(path) \(status) has no body")
                    return
                }
                let contentType = try #require(answer.headers[.contentType])
                let mediaType = try #require(content.keys.first { contentType.hasPrefix($0) }, "\(method) \(path) \(status): \(contentType)")
                guard mediaType == "application/json", let schema = content[mediaType]?["schema"] else { return }
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))
                let problems = document.problems(value, schema)
                #expect(problems.isEmpty, "\(method) \(path) \(status): \(problems) in \(answer.text.prefix(600))")
            }

            try check(try await http.get("/healthz"), "get", "/healthz", 200)
            try check(try await http.get("/readyz"), "get", "/readyz", 200)
            try check(try await http.get("/metrics"), "get", "/metrics", 200)
            try check(try await http.get("/openapi.json"), "get", "/openapi.json", 200)

            let form = TestHTTP.multipart([("name", nil, Array("Saturn V".utf8)), ("category", nil, Array("rockets".utf8)), ("image", "rocket.jpg", rocket)])
            let created = try await http.post("/v1/items", form.body, contentType: form.contentType)
            try check(created, "post", "/v1/items", 201)
            let id = try #require(created.json["id"] as? Int)
            try check(try await http.get("/v1/items/\(id)?include_embedding=true"), "get", "/v1/items/{id}", 200)
            try check(try await http.get("/v1/items/\(id)/similar?k=3"), "get", "/v1/items/{id}/similar", 200)

            try check(try await http.post("/v1/classify?include_embedding=true", rocket, contentType: "image/jpeg"), "post", "/v1/classify", 200)
            let batch = TestHTTP.multipart([("image", "rocket.jpg", rocket), ("image", "note.jpg", Array("not a photo".utf8))])
            let batchAnswer = try await http.post("/v1/classify/batch", batch.body, contentType: batch.contentType)
            try check(batchAnswer, "post", "/v1/classify/batch", 200)
            let entries = batchAnswer.json["results"] as? [[String: Any]] ?? []
            #expect(entries.count == 2 && entries[0]["result"] != nil && entries[1]["error"] != nil, "\(batchAnswer.text.prefix(300))")
            try check(try await http.get("/v1/models"), "get", "/v1/models", 200)

            // The collection's routes: feedback, training (refused, then accepted) and its job.
            func json(_ text: String) -> [UInt8] { Array(text.utf8) }
            let answered = try await http.post("/v1/classify", rocket, contentType: "image/jpeg")
            let requestID = try #require(answered.json["request_id"] as? String)
            let feedback = "/v1/predictions/{request_id}/feedback"
            try check(try await http.post("/v1/predictions/\(requestID)/feedback", json(#"{"category": "rockets"}"#), contentType: "application/json"), "post", feedback, 200)
            try check(try await http.post("/v1/predictions/no-such-id/feedback", json(#"{"category": "rockets"}"#), contentType: "application/json"), "post", feedback, 404)
            try check(try await http.post("/v1/predictions/\(requestID)/feedback", json(#"{"category": ""}"#), contentType: "application/json"), "post", feedback, 400)
            let train = "/v1/models/{id}/train"
            try check(try await http.post("/v1/models/lite0/train", json(#"{"version": "head-1"}"#), contentType: "application/json"), "post", train, 409)
            try check(try await http.post("/v1/models/nope/train", json(#"{"version": "head-1"}"#), contentType: "application/json"), "post", train, 404)
            try check(try await http.post("/v1/models/lite0/train", json(#"{"version": "a b"}"#), contentType: "application/json"), "post", train, 400)
            let cup = TestHTTP.multipart([("name", nil, Array("Espresso".utf8)), ("category", nil, Array("cups".utf8)), ("image", "coffee.png", coffee)])
            try check(try await http.post("/v1/items", cup.body, contentType: cup.contentType), "post", "/v1/items", 201)
            let accepted = try await http.post("/v1/models/lite0/train", json(#"{"version": "head-1", "hidden_units": 16}"#), contentType: "application/json")
            try check(accepted, "post", train, 202)
            let job = try #require(accepted.json["id"] as? String)
            try await Waiting.until("the training job ends") {
                let status = (try? await http.get("/v1/training-jobs/\(job)").json["status"] as? String) ?? ""
                return status == "succeeded" || status == "failed"
            }
            try check(try await http.get("/v1/training-jobs/\(job)"), "get", "/v1/training-jobs/{id}", 200)
            try check(try await http.get("/v1/training-jobs/nope"), "get", "/v1/training-jobs/{id}", 404)
            try check(try await http.get("/v1/models"), "get", "/v1/models", 200)

            try check(try await http.post("/v1/classify", []), "post", "/v1/classify", 400)
            try check(try await http.post("/v1/classify", Array("just text".utf8)), "post", "/v1/classify", 415)
            try check(try await http.post("/v1/classify", Array(rocket.prefix(2000)), contentType: "image/jpeg"), "post", "/v1/classify", 422)
            try check(try await http.post("/v1/items", Array("{\"name\": 1}".utf8), contentType: "application/json"), "post", "/v1/items", 400)
            try check(try await http.get("/v1/items/abc"), "get", "/v1/items/{id}", 400)
            try check(try await http.get("/v1/items/\(id)/similar?k=0"), "get", "/v1/items/{id}/similar", 400)
            // A malformed query parameter is rejected, not read as its default.
            try check(try await http.get("/v1/items/\(id)/similar?k=three"), "get", "/v1/items/{id}/similar", 400)
            try check(try await http.get("/v1/items/\(id)?include_embedding=yes"), "get", "/v1/items/{id}", 400)
            try check(try await http.post("/v1/classify?include_embedding=1", rocket, contentType: "image/jpeg"), "post", "/v1/classify", 400)
            try check(try await http.request(.delete, "/v1/items/\(id)"), "delete", "/v1/items/{id}", 204)
            try check(try await http.request(.delete, "/v1/items/\(id)"), "delete", "/v1/items/{id}", 404)
            try check(try await http.get("/v1/items/\(id)"), "get", "/v1/items/{id}", 404)
        } }
    }
}

/// A JSON value, decoded without Foundation's number/boolean bridging ambiguities.
indirect enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? { object?[key] }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }

    /// The JSON Schema type names this value has (an integral number is also an `integer`).
    var typeNames: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .number(let value): value.rounded() == value ? ["number", "integer"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}

/// The OpenAPI document with `$ref` resolution and a validator for the subset of JSON Schema
/// it uses (type, enum, const, properties, required, additionalProperties, items, minItems,
/// maxItems, minLength, maxLength, minimum, maximum, pattern, oneOf).
struct OpenAPIDocumentValue {
    let root: JSONValue

    init(_ bytes: [UInt8]) throws {
        root = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    func schema(named name: String) -> JSONValue { root["components"]?["schemas"]?[name] ?? .null }

    /// `value` itself, or what its `$ref` (`#/a/b/c`) points at, recursively.
    func resolve(_ value: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.string, reference.hasPrefix("#/") else { return value }
        var target: JSONValue? = root
        for key in reference.dropFirst(2).split(separator: "/") { target = target?[String(key)] }
        return resolve(target ?? .null)
    }

    /// Why `value` does not match `schema` (empty when it does).
    func problems(_ value: JSONValue, _ schema: JSONValue, at location: String = "$") -> [String] {
        let schema = resolve(schema)
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = Set(type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? [])
            if allowed.isDisjoint(with: value.typeNames) { return ["\(location): not of type \(allowed.sorted())"] }
        }
        if let options = schema["enum"]?.array, !options.contains(where: { Self.equal($0, value) }) {
            problems.append("\(location): not one of the enum")
        }
        if let constant = schema["const"], !Self.equal(constant, value) { problems.append("\(location): not the constant") }
        if let number = value.number {
            if let minimum = schema["minimum"]?.number, number < minimum { problems.append("\(location): \(number) < \(minimum)") }
            if let maximum = schema["maximum"]?.number, number > maximum { problems.append("\(location): \(number) > \(maximum)") }
        }
        if let string = value.string {
            if let minimum = schema["minLength"]?.number, Double(string.count) < minimum { problems.append("\(location): too short") }
            if let maximum = schema["maxLength"]?.number, Double(string.count) > maximum { problems.append("\(location): too long") }
            if let pattern = schema["pattern"]?.string, string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(location): does not match \(pattern)")
            }
        }
        if let items = value.array {
            if let minimum = schema["minItems"]?.number, Double(items.count) < minimum { problems.append("\(location): too few items") }
            if let maximum = schema["maxItems"]?.number, Double(items.count) > maximum { problems.append("\(location): too many items") }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += self.problems(item, itemSchema, at: "\(location)[\(index)]") }
            }
        }
        if let object = value.object {
            for case .string(let key) in schema["required"]?.array ?? [] where object[key] == nil {
                problems.append("\(location): lacks \(key)")
            }
            let properties = schema["properties"]?.object ?? [:]
            for (key, member) in object {
                if let propertySchema = properties[key] {
                    problems += self.problems(member, propertySchema, at: "\(location).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    if additional.bool == false {
                        problems.append("\(location): unexpected \(key)")
                    } else if additional.object != nil {
                        problems += self.problems(member, additional, at: "\(location).\(key)")
                    }
                }
            }
        }
        if let alternatives = schema["oneOf"]?.array {
            let matching = alternatives.filter { self.problems(value, $0, at: location).isEmpty }.count
            if matching != 1 { problems.append("\(location): matches \(matching) of oneOf, not 1") }
        }
        return problems
    }

    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        default: false
        }
    }
}
