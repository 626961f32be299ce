import Classifier
import Foundation

/// The `classifier` column of `model_versions` (the `ClassifierSpec` as JSON; NULL in rows
/// written before it existed, read as `imagenet`) and the spec read back from a row.
enum StoredVersionSpec {
    static func json(_ classifier: ClassifierSpec) -> String {
        String(decoding: (try? JSONEncoder().encode(classifier)) ?? Data(#"{"kind":"imagenet"}"#.utf8), as: UTF8.self)
    }

    static func spec(id: String, architecture: String, weights: String, labels: String?, classifier: String?, traffic: Double) -> ModelVersionSpec? {
        let decoded = classifier.map { try? JSONDecoder().decode(ClassifierSpec.self, from: Data($0.utf8)) } ?? .imagenet
        guard let decoded else { return nil }
        return ModelVersionSpec(id: id, architecture: architecture, weights: weights, labels: labels, classifier: decoded, traffic: traffic)
    }
}
