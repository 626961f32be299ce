import Foundation

/// The rule every category name of a collection follows: what a collector types, trimmed of
/// surrounding white space, 1…200 characters.
public enum CategoryName {
    public static let maximumLength = 200

    /// The name trimmed, or `invalid_category` saying what to change.
    public static func validated(_ name: String) throws(CollectionError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw CollectionError(.invalidCategory, "The category name is empty; give the category a name (1 to \(maximumLength) characters).")
        }
        guard trimmed.count <= maximumLength else {
            throw CollectionError(
                .invalidCategory, "The category name has \(trimmed.count) characters; shorten it to at most \(maximumLength).")
        }
        return trimmed
    }
}
