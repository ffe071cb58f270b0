/// A fault file or `--fault` flag that cannot be used, with the place and the fix.
public struct FaultScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `faults.yaml:7` or `--fault pm-aux:timeout@x`.
    public var origin: String
    public var message: String

    public init(origin: String, message: String) {
        self.origin = origin
        self.message = message
    }

    public var description: String { "\(origin): \(message)" }
}
