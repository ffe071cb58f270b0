/// A spool file could not be opened, read or written.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// The SQLite file concerned.
    public let path: String
    /// What was being done: `open`, `append 12 messages`, ...
    public let operation: String
    /// The underlying cause, in words (SQLite's message).
    public let reason: String

    /// An error naming the file, the operation and the cause.
    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String {
        "spool \(path): cannot \(operation): \(reason); check that the state directory exists, is writable "
            + "by plantgate and that the disk is not full"
    }
}
