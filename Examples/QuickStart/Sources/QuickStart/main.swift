import Foundation
import Models
import VectorIndex

// Classify each photo, index its embedding, then find the photos most like the first one.
let model = try ImageModel.efficientNetLite0()
let index = try HNSWIndex(dimension: model.embeddingDimension, metric: .cosine)
let photos = try CommandLine.arguments.dropFirst().map { try Image(decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: $0)))) }
for (id, photo) in photos.enumerated() {
    let best = try model.classify(photo, top: 1)[0]
    print("\(CommandLine.arguments[id + 1]): \(best.label) (\(best.confidence))")
    try index.add(ids: [UInt64(id)], vectors: model.embedding(photo))
}
for hit in try index.search(model.embedding(photos[0]), k: 3) {
    print("like \(CommandLine.arguments[1]): \(CommandLine.arguments[Int(hit.id) + 1]) at cosine distance \(hit.distance)")
}
