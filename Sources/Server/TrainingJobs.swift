import Classifier
import CollectionLearning
import Dispatch
import Foundation
import Logging
import Synchronization

/// Heads trained from the items table in the background (`POST /v1/models/{id}/train`), each
/// registered as a new model version when it finishes.
///
/// A job is checked before it is accepted (the new id is free, the items can teach — at least
/// two categories — and the options are in range), so a 202 means it will run. It trains on a
/// Dispatch worker thread of its own (off the cooperative pool, at utility priority), then
/// writes the head file into `heads_directory` atomically, records the version in
/// `model_versions` (`source = 'trained'`, so every start loads it again) and only then adds it
/// to the live registry: readiness and routing change when the job succeeds, never before, and
/// a failed job leaves nothing behind. Jobs are kept in this instance's memory.
final class TrainingJobs: Sendable {
    struct Job: Sendable, Encodable {
        var id: String
        var baseVersion: String
        var newVersion: String
        /// `queued`, `running`, `succeeded` or `failed`.
        var status: String
        var epoch: Int?
        var maxEpochs: Int?
        var report: TrainingReport?
        var error: APIError.ErrorBody.Detail?
        var createdAt: Double
        var finishedAt: Double?

        enum CodingKeys: String, CodingKey {
            case id, baseVersion = "base_version", newVersion = "new_version", status, epoch, maxEpochs = "max_epochs", report, error
            case createdAt = "created_at", finishedAt = "finished_at"
        }
    }

    /// `POST /v1/models/{id}/train`'s body.
    struct Request: Sendable, Decodable {
        var version: String
        var traffic: Double?
        var hiddenUnits: Int?
        var maxEpochs: Int?
        var seed: UInt64?

        enum CodingKeys: String, CodingKey { case version, traffic, hiddenUnits = "hidden_units", maxEpochs = "max_epochs", seed }
    }

    private let jobs = Mutex<[String: Job]>([:])
    private let headsDirectory: String?
    private let logger: Logger

    init(headsDirectory: String?, logger: Logger) {
        self.headsDirectory = headsDirectory
        self.logger = logger
    }

    func job(_ id: String) -> Job? { jobs.withLock { $0[id] } }

    /// Checks the request and starts the job; the accepted job as it is queued.
    func start(base baseID: String, _ request: Request, service: ClassificationService) async throws(APIError) -> Job {
        guard let headsDirectory else {
            throw APIError(
                .conflict, .trainingUnavailable,
                "This instance has nowhere to write heads; set heads_directory in the configuration (a directory every instance can read).")
        }
        let registry = service.registry.current
        let base: ModelVersion
        do {
            base = try registry.version(baseID)
        } catch {
            throw APIError(.notFound, .unknownModelVersion, error.message)
        }
        let newID = request.version
        guard newID.count <= 64, !newID.isEmpty, newID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw APIError.invalidRequest("'version' must be 1–64 characters of letters, digits, '.', '_' or '-'.")
        }
        let traffic = request.traffic ?? 0
        guard traffic.isFinite, traffic >= 0 else { throw APIError.invalidRequest("'traffic' must be a non-negative number (\(traffic) given).") }
        var options = TrainingOptions()
        if let hidden = request.hiddenUnits { options.hiddenUnits = hidden }
        if let epochs = request.maxEpochs { options.maxEpochs = epochs }
        if let seed = request.seed { options.seed = seed }
        do {
            try options.validate()
        } catch {
            throw APIError(error)
        }
        let taken: Bool
        do {
            taken = try await service.store.modelVersionExists(newID)
        } catch {
            throw APIError(error)
        }
        let busy = jobs.withLock { $0.values.contains { $0.newVersion == newID && ($0.status == "queued" || $0.status == "running") } }
        guard !taken, !busy, !registry.versions.contains(where: { $0.id == newID }) else {
            throw APIError(.conflict, .versionExists, "There is already a model version '\(newID)' (or a job training it); choose another id.")
        }
        let items: [StoredItem]
        do {
            items = try await service.store.items(modelVersion: base.backbone)
        } catch {
            throw APIError(error)
        }
        let set: TrainingSet
        let backbone: HeadBackbone
        do {
            set = try TrainingSet(
                dimension: base.model.embeddingDimension,
                samples: items.map { TrainingSet.Sample(features: $0.embedding, category: $0.category, group: Int($0.id)) })
            backbone = try HeadBackbone(base.model)
        } catch {
            throw APIError(error)
        }
        let job = Job(
            id: UUID().uuidString.lowercased(), baseVersion: base.id, newVersion: newID, status: "queued", createdAt: Date().timeIntervalSince1970)
        jobs.withLock { $0[job.id] = job }
        let path = URL(fileURLWithPath: headsDirectory).appendingPathComponent("\(newID).safetensors").path
        let spec = ModelVersionSpec(
            id: newID, architecture: base.spec.architecture, weights: base.spec.weights, labels: base.spec.labels,
            classifier: .head(file: path), traffic: traffic)
        logger.info(
            "training job accepted",
            metadata: ["job": .string(job.id), "base": .string(base.id), "version": .string(newID), "items": .stringConvertible(items.count)])
        Task { await self.run(job.id, set: set, backbone: backbone, options: options, headsDirectory: headsDirectory, spec: spec, base: base, service: service) }
        return job
    }

    private func run(
        _ id: String, set: TrainingSet, backbone: HeadBackbone, options: TrainingOptions, headsDirectory: String, spec: ModelVersionSpec,
        base: ModelVersion, service: ClassificationService
    ) async {
        update(id) { $0.status = "running" }
        var written: String?
        do {
            let head = try await Self.train(set, backbone: backbone, options: options) { [weak self] progress in
                self?.update(id) { job in
                    job.epoch = progress.epoch
                    job.maxEpochs = progress.maxEpochs
                }
            }
            try FileManager.default.createDirectory(atPath: headsDirectory, withIntermediateDirectories: true)
            guard case .head(let path) = spec.classifier else { return }
            try HeadFile.write(head, to: path)
            written = path
            try await service.store.registerTrainedVersion(spec)
            try service.registry.add(ModelVersion(spec: spec, model: base.model, classifier: .head(head)))
            update(id) { job in
                job.status = "succeeded"
                job.report = head.training
                job.finishedAt = Date().timeIntervalSince1970
            }
            logger.info("training job succeeded", metadata: ["job": .string(id), "version": .string(spec.id)])
        } catch {
            // A head that was not registered must not be found by a later job of the same id.
            if let written { try? FileManager.default.removeItem(atPath: written) }
            let detail = APIError.ErrorBody.Detail(code: "training_failed", message: "\(error)")
            update(id) { job in
                job.status = "failed"
                job.error = detail
                job.finishedAt = Date().timeIntervalSince1970
            }
            logger.error("training job failed", metadata: ["job": .string(id), "error": .string("\(error)")])
        }
    }

    private func update(_ id: String, _ change: (inout Job) -> Void) {
        jobs.withLock { jobs in
            if var job = jobs[id] {
                change(&job)
                jobs[id] = job
            }
        }
    }

    /// Trains on a Dispatch worker thread: seconds of CPU that must not hold a cooperative thread.
    private static func train(
        _ set: TrainingSet, backbone: HeadBackbone, options: TrainingOptions, progress: @escaping @Sendable (TrainingProgress) -> Void
    ) async throws -> ClassifierHead {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try HeadTrainer.train(set, backbone: backbone, options: options, progress: progress) })
            }
        }
    }
}
