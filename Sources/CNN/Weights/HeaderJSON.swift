/// A JSON value as read from a safetensors header.
///
/// Object members keep their order and duplicates, so that the header reader can report them.
/// Numbers keep their literal text; `integer` interprets it exactly (no detour through `Double`).
enum HeaderJSON: Sendable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    case number(literal: String)
    case bool(Bool)
    case null

    /// How a number literal reads as an `Int`.
    enum IntegerReading: Equatable {
        case value(Int)
        case negative
        case tooLarge
        case notInteger
    }

    /// Reads an integer literal exactly; `1.0`, `1e3` and non-numbers are `notInteger`.
    var integer: IntegerReading {
        guard case .number(let literal) = self else { return .notInteger }
        var digits = Substring(literal)
        let isNegative = digits.first == "-"
        if isNegative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .notInteger }
        if isNegative && digits.contains(where: { $0 != "0" }) { return .negative }
        guard let value = Int(digits) else { return .tooLarge }
        return .value(value)
    }

    /// A short name of the value's kind, for messages.
    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
