import CNN
import Foundation

/// Locates `Tests/Fixtures/…` from this source file, so tests read fixtures from the checkout.
enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CollectionLearningTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func path(_ components: String...) -> String {
        components.reduce(directory) { $0.appendingPathComponent($1) }.path
    }
}

func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
