import CollectionLearning
import Imaging
import Models

extension CollectionError: FileFailureReason {
    var fileFailure: FileFailure { FileFailure(code: code.rawValue, message: message) }
}

extension ClassifierHead {
    /// The `top` categories of each image: the model's embeddings through this head (which
    /// `HeadFile.read(_:for:)` has checked was trained over the model).
    func categories(of images: [Image], model: ImageModel, top: Int) throws(FileFailure) -> [[ClassScore]] {
        let embeddings: [[Float]]
        do {
            embeddings = try model.embeddings(images: images)
        } catch {
            throw error.fileFailure
        }
        do {
            return try predict(embeddings).map { $0.top(top) }
        } catch {
            throw error.fileFailure
        }
    }
}
