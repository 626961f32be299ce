/// A model configuration that cannot be used; the message names the version and the fix.
public struct ClassifierRegistryError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
