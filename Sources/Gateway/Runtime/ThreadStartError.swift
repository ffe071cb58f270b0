import POSIX

/// A part of the daemon whose thread the kernel refused, with the fix.
public struct ThreadStartError: Error, CustomStringConvertible {
    /// "bus mcc", "the metric engine".
    public var part: String
    public var error: SystemCallError

    public var description: String {
        "\(part) could not start its thread: \(error); the unit's TasksMax= or the service user's process limit "
            + "(ulimit -u) is reached: raise it, or stop other processes of that user"
    }
}
