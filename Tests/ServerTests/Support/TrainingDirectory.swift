import Foundation

/// A temporary training directory (one folder of photos per category) made from the labelled
/// photos of `Samples/collection/<category>/*.jpg` in the checkout; removed by `remove()`.
struct TrainingDirectory {
    let url: URL
    /// The categories it holds, in the order they were made.
    private(set) var categories: [String] = []

    static let samples = TestEnvironment.root.appendingPathComponent("Samples/collection")

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The first `count` categories of `Samples/collection` (by name) that have at least
    /// `photos` photos.
    static func sampleCategories(_ count: Int, photos: Int) throws -> [String] {
        let names = try visible(samples).filter { isDirectory(samples.appendingPathComponent($0)) }
        let usable = try names.filter { try sampleFiles(of: $0).count >= photos }
        guard usable.count >= count else {
            throw TestSetupError(
                "\(samples.path) has \(usable.count) category folders with at least \(photos) photos; these tests need \(count). "
                    + "Add the labelled sample photos (Samples/collection/<category>/*.jpg).")
        }
        return Array(usable.prefix(count))
    }

    /// The photo files of a sample category, sorted.
    static func sampleFiles(of category: String) throws -> [URL] {
        let folder = samples.appendingPathComponent(category)
        return try visible(folder).filter { ["jpg", "jpeg", "png"].contains(($0 as NSString).pathExtension.lowercased()) }
            .map { folder.appendingPathComponent($0) }
    }

    /// A folder `name` holding the first `photos` photos of the sample category `sample`
    /// (by default the category of the same name); 0 photos makes an empty folder.
    @discardableResult
    mutating func addCategory(_ name: String, photos: Int, from sample: String? = nil) throws -> [URL] {
        let folder = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var copied: [URL] = []
        for file in photos > 0 ? try Self.sampleFiles(of: sample ?? name).prefix(photos) : [] {
            let destination = folder.appendingPathComponent(file.lastPathComponent)
            try FileManager.default.copyItem(at: file, to: destination)
            copied.append(destination)
        }
        categories.append(name)
        return copied
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    private static func visible(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
