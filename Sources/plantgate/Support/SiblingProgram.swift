import ArgumentParser
import Foundation
import PlantgateConsole
import POSIX

/// A program installed next to `plantgate` (`plantgate-fleet`, `plantgated`), run in place of this process
/// so that the CLI links none of its libraries.
enum SiblingProgram {
    /// `name` in the directory of the running `plantgate` (symbolic links resolved).
    static func path(_ name: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    /// Replaces this process with `name` and `arguments`. Returns only when it cannot: prints `missing(path)`
    /// when the program is not there, or why it could not run, and returns exit code 69.
    static func replace(with name: String, arguments: [String], missing: (String) -> String) -> ExitCode {
        let path = path(name)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return Console.fail(CLIFailure(missing(path), status: PlantgateExit.unavailable))
        }
        let failure = ProgramImage.replace(with: path, arguments: [name] + arguments)
        return Console.fail(CLIFailure("cannot run \(path): \(failure.reason)", status: PlantgateExit.unavailable))
    }
}
