import Foundation

/// A failure in test infrastructure (could not start a broker, openssl failed...), with the details.
public struct TestSupportError: Error, Sendable, CustomStringConvertible {
    /// What failed and the captured output that explains it.
    public let description: String

    /// An error with a full explanation.
    public init(_ description: String) { self.description = description }
}

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    /// Exit status (or the signal number if it was killed).
    public let exitCode: Int32
    /// Everything written to standard output.
    public let standardOutput: String
    /// Everything written to standard error.
    public let standardError: String
    /// Whether the runner had to kill it at the timeout.
    public let timedOut: Bool

    /// Standard output split into non-empty lines.
    public var outputLines: [String] { standardOutput.split(separator: "\n").map(String.init) }
}

/// Runs external programs (openssl, mosquitto_passwd, mosquitto_sub...) with a time limit.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`, capturing stdout and stderr (through files, so a chatty
    /// child never blocks on a full pipe). Kills it after `timeout` and reports `timedOut`.
    public static func run(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice

        let (exits, exitContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw TestSupportError("cannot start \(executable): \(error)")
        }
        let pid = process.processIdentifier
        let watchdog = Task { () -> Bool in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return false }
            kill(pid, SIGKILL)
            return true
        }
        var status: Int32 = -1
        for await exitStatus in exits { status = exitStatus }
        watchdog.cancel()
        let timedOut = await watchdog.value
        try? outHandle.close()
        try? errHandle.close()
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(
            exitCode: status, standardOutput: output, standardError: errors,
            timedOut: timedOut)
    }

    /// Runs a command that must succeed; throws with its output otherwise.
    @discardableResult
    public static func runChecked(
        _ executable: String, _ arguments: [String], timeout: Duration = .seconds(10)
    ) async throws -> ProcessResult {
        let result = try await run(executable, arguments, timeout: timeout)
        guard result.exitCode == 0, !result.timedOut else {
            throw TestSupportError(
                "\(executable) \(arguments.joined(separator: " ")) failed (exit \(result.exitCode)"
                    + "\(result.timedOut ? ", timed out" : "")): \(result.standardError)\(result.standardOutput)")
        }
        return result
    }
}
