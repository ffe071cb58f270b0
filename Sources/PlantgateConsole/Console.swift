import ArgumentParser
import Foundation

/// Writing to stdout and stderr without buffering surprises (progress bars and refreshes must show at once).
public enum Console {
    /// Writes `text` and a newline to standard output.
    public static func out(_ text: String) {
        write(text + "\n", to: FileHandle.standardOutput)
    }

    /// Writes `text` as is (no newline) to standard output.
    public static func outRaw(_ text: String) {
        write(text, to: FileHandle.standardOutput)
    }

    /// Writes `text` and a newline to standard error.
    public static func error(_ text: String) {
        write(text + "\n", to: FileHandle.standardError)
    }

    /// Writes `text` as is to standard error (progress lines rewritten with `\r`).
    public static func errorRaw(_ text: String) {
        write(text, to: FileHandle.standardError)
    }

    /// Prints `failure` to stderr as `plantgate: message` and returns the exit code to throw.
    public static func fail(_ failure: CLIFailure) -> ExitCode {
        error("plantgate: \(failure.message)")
        return ExitCode(failure.status)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
