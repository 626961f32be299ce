/// Ranks tensor names by similarity to a name that was not found, for error messages.
///
/// A candidate qualifies when one name ends with the other (a missing or extra prefix such as
/// `model.`) or when its edit distance (Levenshtein, on UTF-8 bytes) is at most a third of the
/// longer name; suffix matches rank first, then smaller distances, then file order.
enum NameSuggestions {
    static func closest(to target: String, among candidates: [String], limit: Int = 5) -> [String] {
        let targetBytes = Array(target.utf8)
        var ranked: [(isSuffixMatch: Bool, distance: Int, order: Int, name: String)] = []
        for (order, candidate) in candidates.enumerated() where candidate != target {
            let candidateBytes = Array(candidate.utf8)
            let isSuffixMatch = !target.isEmpty && !candidate.isEmpty
                && (candidate.hasSuffix("." + target) || target.hasSuffix("." + candidate))
            let distance = editDistance(targetBytes, candidateBytes)
            let threshold = max(2, max(targetBytes.count, candidateBytes.count) / 3)
            if isSuffixMatch || distance <= threshold {
                ranked.append((isSuffixMatch, distance, order, candidate))
            }
        }
        ranked.sort { ($0.isSuffixMatch ? 0 : 1, $0.distance, $0.order) < ($1.isSuffixMatch ? 0 : 1, $1.distance, $1.order) }
        return ranked.prefix(limit).map(\.name)
    }

    /// Levenshtein distance with one rolling row.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)
                diagonal = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }
}
