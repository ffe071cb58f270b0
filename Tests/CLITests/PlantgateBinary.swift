import Foundation
import TestSupport

import Testing

/// The built `plantgate` executable, run as a child process exactly as a technician runs it.
///
/// The test target does not depend on the executable, so `swift build --product plantgate` (or plain
/// `swift build`) must run before `swift test --filter CLITests`. A missing binary fails every test with
/// that instruction instead of a confusing spawn error.
enum PlantgateBinary {
    /// <package root>/Tests/CLITests/PlantgateBinary.swift → <package root>.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = packageRoot.appendingPathComponent(".build/debug/plantgate").path

    /// Runs `plantgate ARGS`; throws a clear error if the executable has not been built.
    static func run(_ arguments: [String], timeout: Duration = .seconds(10)) async throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) does not exist: run `swift build --product plantgate` before `swift test` (the CLI tests run the built executable)")
        }
        let result = try await ProcessRunner.run(path, arguments, timeout: timeout)
        if result.timedOut {
            throw TestSupportError("plantgate \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        return result
    }

    /// Runs `plantgate ARGS` on a pseudo-terminal (through util-linux `script`), with extra
    /// environment variables, and returns what the terminal showed.
    static func runOnTerminal(_ arguments: [String], environment: [String] = [], timeout: Duration = .seconds(10)) async throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(path) does not exist: run `swift build --product plantgate` before `swift test`")
        }
        let command = (["env", "-u", "NO_COLOR"] + environment + [path] + arguments).map(shellQuoted).joined(separator: " ")
        let result = try await ProcessRunner.run("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], timeout: timeout)
        if result.timedOut { throw TestSupportError("\(command) did not finish within \(timeout) on a terminal") }
        return result
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Parses standard output as one JSON document.
    static func json(_ result: ProcessResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }
}

/// A scratch directory for one test, removed when the test is done with it.
final class ScratchDirectory: @unchecked Sendable {
    // @unchecked Sendable: `path` is immutable; the directory is only touched by the owning test.
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-cli-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
