/// The right answer for one classified image, as a collector gives it: the category, for the
/// image at `position` of request `requestID`; stored with what that version had answered.
public struct Feedback: Sendable, Equatable, Codable {
    public var requestID: String
    public var position: Int
    public var category: String
    public var modelVersion: String
    /// The class the version answered (nil for an answer recorded before predicted classes were).
    public var predictedClass: String?

    public var correct: Bool { predictedClass == category }

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", position, category, modelVersion = "model_version", predictedClass = "predicted_class", correct
    }

    public init(requestID: String, position: Int, category: String, modelVersion: String, predictedClass: String?) {
        self.requestID = requestID
        self.position = position
        self.category = category
        self.modelVersion = modelVersion
        self.predictedClass = predictedClass
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        requestID = try c.decode(String.self, forKey: .requestID)
        position = try c.decode(Int.self, forKey: .position)
        category = try c.decode(String.self, forKey: .category)
        modelVersion = try c.decode(String.self, forKey: .modelVersion)
        predictedClass = try c.decodeIfPresent(String.self, forKey: .predictedClass)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(requestID, forKey: .requestID)
        try c.encode(position, forKey: .position)
        try c.encode(category, forKey: .category)
        try c.encode(modelVersion, forKey: .modelVersion)
        try c.encode(predictedClass, forKey: .predictedClass)
        try c.encode(correct, forKey: .correct)
    }
}
