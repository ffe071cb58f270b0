/// A failure a command reports in plain words, with the exit status it implies.
///
/// Commands throw it from `run()`; `Console.fail` prints it to stderr as `plantgate: message` and
/// exits with `status`. The message names the place and the fix.
public struct CLIFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var status: Int32

    public init(_ message: String, status: Int32) {
        self.message = message
        self.status = status
    }

    /// A command-line mistake (exit 2).
    public static func usage(_ message: String) -> CLIFailure { CLIFailure(message, status: PlantgateExit.usage) }

    public var description: String { message }
}
