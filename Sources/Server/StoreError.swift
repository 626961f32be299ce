/// A database failure. The service answers it with 503 `storage_unavailable`; `message` names
/// the operation and the database's own error.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
