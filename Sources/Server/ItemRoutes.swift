import Classifier
import CollectionLearning
import Foundation
import Hummingbird
import Tracing

/// The collection: `POST /v1/items` (register: name, category, photo → embedding stored and
/// indexed), `GET /v1/items/{id}`, `DELETE /v1/items/{id}`, `GET /v1/items/{id}/similar?k=5`.
///
/// Registration takes multipart (`name`, `category`, `image` parts) or JSON
/// `{"name", "category", "image_base64"}`. The row is committed first, then the index learns
/// the embedding (the index is rebuilt from the table at start, so it can never hold an item
/// the table lost). Deletion is the reverse: the row goes, then the index entry.
struct ItemRoutes {
    let service: ClassificationService
    let configuration: ServiceConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/items") { request, context in try await create(request, context) }
        router.get("/v1/items/{id}") { request, context in try await show(request, context) }
        router.delete("/v1/items/{id}") { request, context in try await remove(request, context) }
        router.get("/v1/items/{id}/similar") { request, context in try await similar(request, context) }
    }

    struct CreateJSON: Decodable {
        let name: String
        let category: String
        let imageBase64: String
        enum CodingKeys: String, CodingKey { case name, category, imageBase64 = "image_base64" }
    }

    func create(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let limit = configuration.limits.maxBodyBytes
        var name = ""
        var category = ""
        var photo: [UInt8] = []
        if let boundary = RequestBody.multipartBoundary(request) {
            let parts = try RequestBody.parts(of: try await RequestBody.collect(&request, limit: limit + 64 * 1024), boundary: boundary)
            guard let namePart = parts.first(where: { $0.name == "name" }), let categoryPart = parts.first(where: { $0.name == "category" }),
                let imagePart = parts.first(where: { $0.name == "image" })
            else { throw APIError.invalidRequest("Send the parts 'name', 'category' and 'image'.") }
            (name, category, photo) = (namePart.text, categoryPart.text, imagePart.bytes)
        } else {
            // Base64 grows the photo by a third.
            let body = try JSONBody.decode(CreateJSON.self, from: try await RequestBody.collect(&request, limit: limit / 3 * 4 + 64 * 1024))
            guard let decoded = Data(base64Encoded: body.imageBase64) else {
                throw APIError.invalidRequest("'image_base64' is not valid base64; encode the photo's bytes with standard base64.")
            }
            (name, category, photo) = (body.name, body.category, [UInt8](decoded))
        }
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedName.isEmpty, trimmedName.count <= 200 else {
            throw APIError.invalidRequest("'name' must be 1–200 characters.")
        }
        do {
            category = try CategoryName.validated(category)
        } catch {
            throw APIError(error)
        }
        let stored = try await register(name: trimmedName, category: category, photo: photo, context)
        context.logger.info("item registered", metadata: ["item": .stringConvertible(stored.id)])
        return JSONBody.response(.created, ItemBody(stored, includeEmbedding: false))
    }

    /// The photo embedded (under every backbone), the row committed, then the indexes told; traced as
    /// `colecionador.register_item` (request id, model version, the new item's id) over the
    /// classification stages and `classifier.store`.
    private func register(name: String, category: String, photo: [UInt8], _ context: BasicRequestContext) async throws -> StoredItem {
        try await withSpan("colecionador.register_item") { span in
            span.attributes["colecionador.request_id"] = context.id
            let (upload, classification, others) = try await service.embedItemPhoto(photo, logger: context.logger)
            span.attributes["colecionador.model_version"] = classification.modelVersion
            let stored = try await withSpan("classifier.store") { _ in
                do throws(StoreError) {
                    return try await service.store.insertItem(
                        NewItem(
                            name: name, category: category, sha256: upload.sha256, modelVersion: service.index.modelVersion,
                            embedding: classification.embedding, otherEmbeddings: others))
                } catch {
                    throw APIError(error)
                }
            }
            span.attributes["colecionador.item_id"] = stored.id
            for (backbone, items) in service.indexes {
                guard let embedding = backbone == service.index.modelVersion ? stored.embedding : others[backbone] else { continue }
                do {
                    try items.add(stored.summary, embedding: embedding)
                } catch {
                    context.logger.error(
                        "index add failed after commit; the index is rebuilt at the next start",
                        metadata: ["item": .stringConvertible(stored.id), "backbone": .string(backbone)])
                }
            }
            return stored
        }
    }

    func show(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let includeEmbedding = try RequestQuery.flag("include_embedding", of: request)
        let item = try await load(context)
        return JSONBody.response(.ok, ItemBody(item, includeEmbedding: includeEmbedding))
    }

    func remove(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let id = try itemID(context)
        let deleted: Bool
        do {
            deleted = try await service.store.deleteItem(id: id)
        } catch {
            throw APIError(error)
        }
        guard deleted else { throw APIError.notFound("There is no item \(id).") }
        for items in service.indexes.values { items.remove(id) }
        context.logger.info("item deleted", metadata: ["item": .stringConvertible(id)])
        return Response(status: .noContent)
    }

    func similar(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let k = try RequestQuery.integer("k", of: request) ?? configuration.similarItems
        guard (1...100).contains(k) else { throw APIError.invalidRequest("'k' must be between 1 and 100.") }
        let item = try await load(context)
        guard item.modelVersion == service.index.modelVersion else { return JSONBody.response(.ok, SimilarBody(id: item.id, similarItems: [])) }
        do {
            let similar = try service.index.similar(to: item.embedding, k: k, excluding: item.id)
            return JSONBody.response(.ok, SimilarBody(id: item.id, similarItems: similar))
        } catch {
            throw APIError(.internalServerError, .internal, "The similar-items search failed: \(error).")
        }
    }

    private func itemID(_ context: BasicRequestContext) throws(APIError) -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.invalidRequest("An item id is a positive integer.")
        }
        return id
    }

    private func load(_ context: BasicRequestContext) async throws -> StoredItem {
        let id = try itemID(context)
        let item: StoredItem?
        do {
            item = try await service.store.item(id: id)
        } catch {
            throw APIError(error)
        }
        guard let item else { throw APIError.notFound("There is no item \(id).") }
        return item
    }

    struct ItemBody: Encodable {
        let id: Int64
        let name: String
        let category: String
        let sha256: String
        let modelVersion: String
        let createdAt: Double
        let embedding: [Float]?

        init(_ item: StoredItem, includeEmbedding: Bool) {
            id = item.id
            name = item.name
            category = item.category
            sha256 = item.sha256
            modelVersion = item.modelVersion
            createdAt = item.createdAt
            embedding = includeEmbedding ? item.embedding : nil
        }

        enum CodingKeys: String, CodingKey {
            case id, name, category, sha256, modelVersion = "model_version", createdAt = "created_at", embedding
        }
    }

    struct SimilarBody: Encodable {
        let id: Int64
        let similarItems: [SimilarItem]
        enum CodingKeys: String, CodingKey { case id, similarItems = "similar_items" }
    }
}
