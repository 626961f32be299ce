import Foundation

/// Counts of (actual category, predicted category) over labelled photos, and the accuracy.
public struct ConfusionMatrix: Sendable, Equatable {
    public let categories: [String]
    /// `counts[actual][predicted]`.
    public private(set) var counts: [[Int]]

    public init(categories: [String]) {
        self.categories = categories
        self.counts = Array(repeating: Array(repeating: 0, count: categories.count), count: categories.count)
    }

    public mutating func record(actual: Int, predicted: Int) {
        counts[actual][predicted] += 1
    }

    public var total: Int { counts.joined().reduce(0, +) }
    public var correct: Int { categories.indices.reduce(0) { $0 + counts[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// The matrix as a text table: one row per actual category, one column per predicted one
    /// (headed by the categories' numbers), then the row's recall.
    public var table: String {
        let nameWidth = max(6, categories.map(\.count).max() ?? 0)
        let cellWidth = max(4, String(total).count + 1)
        func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return left ? text + fill : fill + text
        }
        var lines = [pad("actual", nameWidth + 4, left: true) + categories.indices.map { pad("#\($0)", cellWidth) }.joined() + "  recall"]
        for (row, name) in categories.enumerated() {
            let count = counts[row].reduce(0, +)
            let recall = count == 0 ? "—" : String(format: "%.2f", Double(counts[row][row]) / Double(count))
            lines.append(pad("#\(row)", 4, left: true) + pad(name, nameWidth, left: true) + counts[row].map { pad("\($0)", cellWidth) }.joined() + "  " + recall)
        }
        return lines.joined(separator: "\n")
    }
}
