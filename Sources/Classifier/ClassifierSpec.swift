/// Which classifier a model version answers with, as its configuration names it:
///
/// - `{"kind": "imagenet"}` (the default): the backbone's own 1,000 ImageNet classes;
/// - `{"kind": "nearest-items", "k": 10}`: the collection's categories, by a distance-weighted
///   vote of the `k` registered items nearest to the photo (`NearestItemsVote`);
/// - `{"kind": "head", "file": "heads/coins.safetensors"}`: the collection's categories, by a
///   head trained over the backbone's embeddings (`HeadFile`; a relative path is resolved like
///   the weights).
public enum ClassifierSpec: Sendable, Equatable, Codable {
    case imagenet
    case nearestItems(k: Int)
    case head(file: String)

    /// `imagenet`, `nearest-items` or `head`.
    public var kind: String {
        switch self {
        case .imagenet: "imagenet"
        case .nearestItems: "nearest-items"
        case .head: "head"
        }
    }

    /// Whether it answers in the collection's categories (rather than ImageNet's).
    public var isCollection: Bool { self != .imagenet }

    enum CodingKeys: String, CodingKey { case kind, k, file }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "imagenet": self = .imagenet
        case "nearest-items": self = .nearestItems(k: try c.decodeIfPresent(Int.self, forKey: .k) ?? 10)
        case "head": self = .head(file: try c.decode(String.self, forKey: .file))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "Unknown classifier kind '\(other)'; use imagenet, nearest-items (with k) or head (with file).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .imagenet: break
        case .nearestItems(let k): try c.encode(k, forKey: .k)
        case .head(let file): try c.encode(file, forKey: .file)
        }
    }
}
