/// A line or site definition the engine cannot work with; the message names the place and the fix.
public struct ESGConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
