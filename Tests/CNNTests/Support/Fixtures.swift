import Foundation

/// Locates `Tests/Fixtures/…` from this source file, so tests read fixtures from the checkout.
enum Fixtures {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // CNNTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func path(_ components: String...) -> String {
        components.reduce(directory) { $0.appendingPathComponent($1) }.path
    }
}
