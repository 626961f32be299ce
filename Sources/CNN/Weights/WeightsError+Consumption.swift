/// The errors of asking for weights, with messages that point at the likely fix.
extension WeightsError {
    static func missingTensor(_ name: String, among available: [String]) -> WeightsError {
        let similar = NameSuggestions.closest(to: name, among: available)
        let hint: String
        if !similar.isEmpty {
            hint = "similar names in the file: \(similar.map { "'\($0)'" }.joined(separator: ", "))"
        } else if available.isEmpty {
            hint = "the file has no tensors"
        } else {
            hint = "no similar name among the file's \(available.count) tensors (first: '\(available[0])')"
        }
        return WeightsError(
            .missingTensor, tensor: name,
            "tensor '\(name)' is not in the weights file; \(hint) — check the architecture, its configuration and the exporter's naming")
    }

    static func shapeMismatch(_ name: String, expected: [Int], actual: [Int]) -> WeightsError {
        let isPermutation = expected.count == actual.count && expected.sorted() == actual.sorted()
        let hint =
            isPermutation
            ? "the dimensions are a permutation of the expected ones: the exporter probably did not transpose to the expected layout"
            : "the weights were exported for a different architecture or configuration"
        return WeightsError(
            .shapeMismatch, tensor: name,
            "tensor '\(name)' has shape \(actual) but \(expected) is expected; \(hint) — re-export with matching settings")
    }
}
