import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
        let child = try ChildProcess.spawn(executable, arguments, outputPath: outURL.path, errorPath: errURL.path)
        let exited = await child.waitForExit(timeout: timeout)
        if !exited {
            child.signal(SIGKILL)
            _ = await child.waitForExit(timeout: .seconds(5))
        }
        let status = child.exitCode ?? -1
        let timedOut = !exited
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

/// A child process started with `posix_spawn` and an **empty signal mask**.
///
/// A child started with Foundation's `Process` from a test inherited blocked signals: SIGTERM stayed
/// pending in mosquitto 2.0.11 (`ShdPnd` in /proc/PID/status) and it never shut down cleanly.
/// `@unchecked Sendable`: the cached exit status is guarded by `lock`.
public final class ChildProcess: @unchecked Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with stdout and stderr appended to the given files, stdin from /dev/null.
    public static func spawn(
        _ executable: String, _ arguments: [String], outputPath: String, errorPath: String, environment extra: [String: String] = [:]
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // Nothing else of the test process: a descriptor another test holds open (a file it is writing, a
        // socket) would otherwise live on in this child, e.g. keeping a fresh executable "text file busy".
        // glibc 2.34+; looked up at run time because Glibc's Swift module is built without _GNU_SOURCE.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] =
            ProcessInfo.processInfo.environment.merging(extra) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw TestSupportError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Exit code once it has exited (128 + signal number if a signal ended it), else `nil`.
    public var exitCode: Int32? {
        lock.withLock {
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    let signal = raw & 0x7f
                    status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
                }
            }
            return status
        }
    }

    /// Whether the child is still alive (reaps it once it has exited).
    public var isRunning: Bool { exitCode == nil }

    /// Sends `signal` unless the child has already been reaped.
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits until the child exits or `timeout` passes; returns whether it exited.
    public func waitForExit(timeout: Duration) async -> Bool {
        await eventually(timeout: timeout, pollInterval: .milliseconds(10)) { !self.isRunning }
    }
}
