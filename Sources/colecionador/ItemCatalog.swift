import Foundation

/// The CLI's record of what each index id stands for: `<index file>.items.tsv`, one
/// `id<TAB>path` line per item, written atomically next to the index. (The service keeps the same
/// mapping in its database.)
struct ItemCatalog {
    private(set) var pathByID: [UInt64: String] = [:]
    private var idByPath: [String: UInt64] = [:]

    static func url(forIndex index: String) -> URL { URL(fileURLWithPath: index + ".items.tsv") }

    init() {}

    /// Reads the catalog beside `index`; a missing catalog is empty, a malformed line an error.
    init(forIndex index: String) throws {
        let url = Self.url(forIndex: index)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let text = try String(contentsOf: url, encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, let id = UInt64(fields[0]) else {
                throw CLIError("\(url.path):\(number + 1): expected 'id<TAB>path'; delete the file and rebuild the index if it is damaged.")
            }
            insert(id: id, path: String(fields[1]))
        }
    }

    /// The id of `path`, reusing the existing one so re-adding a photo replaces it.
    mutating func id(for path: String) -> UInt64 {
        if let id = idByPath[path] { return id }
        let id = (pathByID.keys.max() ?? 0) + 1
        insert(id: id, path: path)
        return id
    }

    func path(of id: UInt64) -> String? { pathByID[id] }

    private mutating func insert(id: UInt64, path: String) {
        pathByID[id] = path
        idByPath[path] = id
    }

    /// Writes to a temporary file and renames it over the catalog.
    func save(forIndex index: String) throws {
        let url = Self.url(forIndex: index)
        let text = pathByID.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined()
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// A command-line failure with a message that says what to do.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
