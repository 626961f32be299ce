import CollectionLearning
import Foundation

/// A training directory as `colecionador train` reads it: one folder per category, named after
/// the category, holding that category's photos (`.jpg`, `.jpeg`, `.png`, not recursive).
/// Hidden entries are skipped; anything else that is not a photo in a category folder (a file
/// beside the folders, a folder inside one, a file of another kind) is listed in `ignored`.
struct CategoryFolders {
    struct Folder {
        /// The folder's name, validated by `CategoryName` (trimmed).
        let category: String
        /// Paths of its photos, sorted.
        let photos: [String]
    }

    /// By category name.
    let folders: [Folder]
    /// Paths that are not photos of a category, to mention.
    let ignored: [String]

    var categories: [String] { folders.map(\.category) }
    var photoCount: Int { folders.reduce(0) { $0 + $1.photos.count } }

    static let photoExtensions: Set = ["jpg", "jpeg", "png"]

    /// Reads the layout of `directory` (no photo is opened).
    init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(directory) is not a directory; give a directory with one folder of photos per category.")
        }
        var folders: [Folder] = []
        var ignored: [String] = []
        var folderOfCategory: [String: String] = [:]
        for name in try Self.visibleEntries(of: directory) {
            let path = (directory as NSString).appendingPathComponent(name)
            guard Self.isDirectory(path) else {
                ignored.append(path)
                continue
            }
            let category: String
            do {
                category = try CategoryName.validated(name)
            } catch {
                throw CLIError("The folder \(path) cannot name a category: \(error.message) Rename the folder.")
            }
            if let other = folderOfCategory.updateValue(name, forKey: category) {
                throw CLIError("The folders '\(other)' and '\(name)' in \(directory) both name the category '\(category)'; merge or rename them.")
            }
            var photos: [String] = []
            for entry in try Self.visibleEntries(of: path) {
                let file = (path as NSString).appendingPathComponent(entry)
                if !Self.isDirectory(file), Self.photoExtensions.contains((entry as NSString).pathExtension.lowercased()) {
                    photos.append(file)
                } else {
                    ignored.append(file)
                }
            }
            folders.append(Folder(category: category, photos: photos))
        }
        self.folders = folders.sorted { $0.category < $1.category }
        self.ignored = ignored
    }

    /// Throws what `TrainingSet` would say of these folders — no folder, one category, a
    /// category without photos — before any photo is embedded, so that a layout mistake costs
    /// no minutes of embedding. (The set built after embedding checks again: every photo of a
    /// category may fail to decode.)
    func checkTrainable() throws(CollectionError) {
        let placeholders = folders.flatMap { folder in
            folder.photos.indices.map { TrainingSet.Sample(features: [0], category: folder.category, group: $0) }
        }
        _ = try TrainingSet(dimension: 1, samples: placeholders, categories: categories)
    }

    private static func visibleEntries(of directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw CLIError("Cannot list \(directory): \(error.localizedDescription) Check that it exists and is readable.")
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
