import CollectionLearning
import Imaging
import Models

/// Embeds every photo of a training directory once, in batches, with a progress bar: one
/// sample per view (`PhotoViews`), grouped by photo (its number in the directory) so that no
/// split puts views of one photo on both sides. A photo that cannot be read or decoded is
/// reported on standard error and skipped.
enum TrainingEmbedding {
    static func samples(of folders: CategoryFolders, model: ImageModel, augment: Bool) -> (samples: [TrainingSet.Sample], failures: Int) {
        let photos = folders.folders.flatMap { folder in folder.photos.map { (file: $0, category: folder.category) } }
        var samples: [TrainingSet.Sample] = []
        samples.reserveCapacity(photos.count * (augment ? PhotoViews.augmentedCount : 1))
        var failures = 0
        var number = 0
        var progress = ProgressBar(total: photos.count)
        ImageFileBatches.process(
            photos.map(\.file), model: model, decodingShortSide: PhotoViews.decodingShortSide(for: model, augment: augment),
            run: { (images) throws(ModelError) in try embedViews(of: images, model: model, augment: augment) },
            report: { (file: String, result: Result<[[Float]], FileFailure>) in
                defer {
                    number += 1
                    progress.advance()
                }
                switch result {
                case .success(let views):
                    for (view, embedding) in views.enumerated() {
                        samples.append(TrainingSet.Sample(features: embedding, category: photos[number].category, group: number, isOriginal: view == 0))
                    }
                case .failure(let failure):
                    failures += 1
                    ImageFileBatches.printError("\nerror: \(file): \(failure.message) [\(failure.code)] — skipped")
                }
            })
        return (samples, failures)
    }

    /// The embeddings of each image's views, the photo's own first; at most
    /// `ImageFileBatches.batchSize` images per forward pass (augmentation quadruples a batch,
    /// and a larger pass only costs memory).
    private static func embedViews(of images: [Image], model: ImageModel, augment: Bool) throws(ModelError) -> [[[Float]]] {
        let views = images.map { PhotoViews.views(of: $0, augment: augment) }
        let flat = views.flatMap { $0 }
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(flat.count)
        var start = 0
        while start < flat.count {
            let end = min(start + ImageFileBatches.batchSize, flat.count)
            embeddings += try model.embeddings(images: Array(flat[start..<end]))
            start = end
        }
        var offset = 0
        return views.map { photoViews in
            defer { offset += photoViews.count }
            return Array(embeddings[offset..<(offset + photoViews.count)])
        }
    }
}
